"""The baseline: a streaming lecture client written the way the OpenAI docs show.

Stream the chat, cut sentences with a regex, fetch each sentence's speech whole, and
play it with sounddevice. benchmarks/ttfa.py measures profai's time to first audio
against this. Usage: python naive_client.py BASE_URL < notes.md
"""

import re
import sys

import numpy as np
import sounddevice as sd
from openai import OpenAI

client = OpenAI(base_url=sys.argv[1], api_key="not-needed")
notes = sys.stdin.read()
stream = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[
        {"role": "system", "content": "You are a university lecturer."},
        {"role": "user", "content": f"Teach a five-minute lecture on these notes:\n\n{notes}"},
    ],
    stream=True,
)


def speak(sentence: str) -> None:
    speech = client.audio.speech.create(
        model="gpt-4o-mini-tts", voice="alloy", input=sentence, response_format="pcm"
    )
    sd.play(np.frombuffer(speech.content, dtype=np.int16), 24000)
    sd.wait()


buffer = ""
for event in stream:
    buffer += (event.choices[0].delta.content or "") if event.choices else ""
    while match := re.search(r"(.+?[.!?])\s+", buffer, re.S):
        speak(match.group(1).strip())
        buffer = buffer[match.end() :]
if buffer.strip():
    speak(buffer.strip())
