"""A Piper voice model with its phoneme durations as an output, patched as it loads.

Piper's voices compute how many audio frames each phoneme lasts (a Ceil node, w_ceil)
but do not output it; piper-tts patches the model with the onnx package for that. Here
the same edit (one more graph output, naming that tensor) is made on the model's
protobuf bytes directly: measured on the bundled voice, onnx took 0.8 s to import and
0.7 s to load and save the model on every start, this takes 0.03 s, and no
package is added. Anything unexpected in the bytes and the model loads unpatched.
"""

from __future__ import annotations

from collections.abc import Iterator

_GRAPH = 7  # ModelProto.graph
_NODE, _OUTPUT = 1, 12  # GraphProto.node, GraphProto.output
_NODE_OUTPUT, _OP_TYPE = 2, 4  # NodeProto.output, NodeProto.op_type
_NAME = 1  # ValueInfoProto.name
_LEN = 2  # the wire type of messages, strings and bytes


def with_durations(model: bytes) -> bytes | None:
    """The model with its Ceil tensor (the phoneme durations) as a second output; None
    when it has no single such tensor or already outputs it."""
    try:
        graph = next((s, e, k) for f, k, s, e in _fields(model, 0, len(model)) if f == _GRAPH)
    except (StopIteration, ValueError, IndexError):
        return None
    start, end, key_at = graph
    ceil: list[bytes] = []
    outputs: list[bytes] = []
    try:
        for field, _, s, e in _fields(model, start, end):
            if field == _NODE and model.find(b"Ceil", s, e) >= 0:
                node = list(_fields(model, s, e))
                if any(f == _OP_TYPE and model[a:b] == b"Ceil" for f, _, a, b in node):
                    ceil += [model[a:b] for f, _, a, b in node if f == _NODE_OUTPUT]
            elif field == _OUTPUT:
                outputs += [model[a:b] for f, _, a, b in _fields(model, s, e) if f == _NAME]
    except (ValueError, IndexError):
        return None
    if len(ceil) != 1 or ceil[0] in outputs:
        return None
    added = _message(_OUTPUT, _message(_NAME, ceil[0]))
    key = _encode((_GRAPH << 3) | _LEN) + _encode(end - start + len(added))
    whole = memoryview(model)  # one copy of the model, not one per splice
    return b"".join((whole[:key_at], key, whole[start:end], added, whole[end:]))


def _fields(data: bytes, at: int, end: int) -> Iterator[tuple[int, int, int, int]]:
    """(field number, where its key starts, where its value starts, where it ends) of
    each field of the message in data[at:end]; a varint's value spans its bytes."""
    while at < end:
        key_at = at
        key, at = _varint(data, at)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, value_end = _varint(data, at)
        elif wire == 1:
            value_end = at + 8
        elif wire == _LEN:
            size, at = _varint(data, at)
            value_end = at + size
        elif wire == 5:
            value_end = at + 4
        else:
            raise ValueError(f"wire type {wire}")
        if value_end > end:
            raise ValueError("truncated")
        yield field, key_at, at, value_end
        at = value_end


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def _message(field: int, body: bytes) -> bytes:
    return _encode((field << 3) | _LEN) + _encode(len(body)) + body


def _encode(value: int) -> bytes:
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)
