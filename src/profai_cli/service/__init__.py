"""The one OpenAI-compatible transport: the client, the early request, chat, speech."""
