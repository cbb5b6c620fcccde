"""Functions over N lines in app/src (tests excluded): python3 scripts/long-functions.py app/src 100"""
import re, sys, pathlib
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "app/src")
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 100
fn_re = re.compile(r'^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)')
long = []
for p in sorted(root.rglob("*.rs")):
    lines = p.read_text().split("\n")
    # cut the test module
    for i, l in enumerate(lines):
        if l.strip() == "#[cfg(test)]" and i + 1 < len(lines) and re.match(r'\s*mod tests', lines[i+1]):
            lines = lines[:i]; break
    i = 0
    while i < len(lines):
        m = fn_re.match(lines[i])
        if m:
            depth = 0; started = False; j = i
            while j < len(lines):
                code = re.sub(r'"(\\.|[^"\\])*"', '""', lines[j]); code = code.split("//")[0]
                for ch in code:
                    if ch == '{': depth += 1; started = True
                    elif ch == '}': depth -= 1
                if started and depth <= 0: break
                if not started and code.rstrip().endswith(";"): break
                j += 1
            n = j - i + 1
            if n > limit: long.append((n, f"{p}:{i+1}", m.group(6)))
            i = i + 1
        else:
            i += 1
for n, where, name in sorted(long, reverse=True):
    print(f"{n:5d} {where} {name}")
print(f"functions over {limit} lines: {len(long)}")
