#!/usr/bin/env python3
"""Removes the linker's relocation sections from a WASM module: wasm-strip-relocs.py IN OUT.

The islands bundle (scripts/build-islands.sh) is compiled with the RUSTFLAGS that cargo-leptos gives
the front build for wasm-split (`-Clink-args=--emit-relocs`), so that both builds share compiled
crates. That leaves custom sections `linking` and `reloc.*` (and wasm-split's marker) in the module:
more than twice the size of its code, and binaryen refuses to optimise a module that has them. No
browser reads them; every other section is copied as it is.
"""
import sys

DROPPED = ("linking", "__wasm_split_unstable")


def leb128(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def strip(data: bytes) -> bytes:
    if data[:4] != b"\0asm":
        raise SystemExit("not a WASM module")
    out = bytearray(data[:8])
    i = 8
    while i < len(data):
        start = i
        section_id = data[i]
        size, body = leb128(data, i + 1)
        end = body + size
        if section_id == 0:
            name_len, name_at = leb128(data, body)
            name = data[name_at : name_at + name_len].decode("utf-8", "replace")
            if name in DROPPED or name.startswith("reloc."):
                i = end
                continue
        out += data[start:end]
        i = end
    return bytes(out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as f:
        stripped = strip(f.read())
    with open(sys.argv[2], "wb") as f:
        f.write(stripped)
