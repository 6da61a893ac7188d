"""Keeps docs/guide.md and its compiled examples in step.

Every ```cpp block of the guide must be, whitespace aside, the code between
`// guide: NAME begin` and `// guide: NAME end` in one of tests/docs/*.test.cpp (which the
test_guide program compiles and runs), and every such region must appear in the guide.

usage: check_guide.py [GUIDE.md [TEST_DIR]]   (defaults: docs/guide.md, tests/docs)
Exit status 0 when they agree; otherwise 1, with one line per problem.
"""

import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
BLOCK = re.compile(r"^```cpp[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
REGION = re.compile(r"^[ \t]*// guide: ([\w-]+) begin[ \t]*\n(.*?)^[ \t]*// guide: ([\w-]+) end",
                    re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"^[ \t]*// guide: ([\w-]+) (begin|end)[ \t]*$", re.MULTILINE)


def normalized(code):
    """The code with every run of whitespace made one space: indentation and line breaks may
    differ between the guide and the test (a block inside a function is indented more)."""
    return " ".join(code.split())


def guide_blocks(text):
    """(line number, code) of every ```cpp block."""
    for m in BLOCK.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, m.group(1)


def test_regions(path, problems):
    """{name: code} of every marked region of `path`; malformed markers go to `problems`."""
    text = path.read_text(encoding="utf-8")
    found = {}
    for m in REGION.finditer(text):
        name, code, end_name = m.group(1), m.group(2), m.group(3)
        line = text.count("\n", 0, m.start()) + 1
        if end_name != name:
            problems.append(f"{path.name}:{line}: region '{name}' ends as '{end_name}'")
        elif MARKER.search(code):
            problems.append(f"{path.name}:{line}: region '{name}' holds another marker")
        else:
            found[name] = code
    opened = {m.group(1) for m in REGION.finditer(text)}
    for name, what in MARKER.findall(text):
        if what == "begin" and name not in opened:
            problems.append(f"{path.name}: region '{name}' has no end marker")
    return found


def check(guide, test_dir):
    if not guide.is_file():
        return [f"{guide}: no such file"], 0
    problems = []
    regions = {}  # name -> (file name, normalized code)
    tests = sorted(test_dir.glob("*.test.cpp"))
    if not tests:
        problems.append(f"{test_dir}: no *.test.cpp files")
    for path in tests:
        for name, code in test_regions(path, problems).items():
            if name in regions:
                problems.append(f"{path.name}: region '{name}' also in {regions[name][0]}")
            regions[name] = (path.name, normalized(code))

    by_code = {code: name for name, (_, code) in regions.items()}
    used = set()
    blocks = list(guide_blocks(guide.read_text(encoding="utf-8")))
    if not blocks:
        problems.append(f"{guide.name}: no ```cpp blocks")
    for line, code in blocks:
        name = by_code.get(normalized(code))
        if name is None:
            first = next((l.strip() for l in code.splitlines() if l.strip()), "")
            problems.append(f"{guide.name}:{line}: this cpp block is in no '// guide:' region "
                            f"of {test_dir.name}/*.test.cpp (it starts: {first[:60]})")
        else:
            used.add(name)
    for name in sorted(set(regions) - used):
        problems.append(f"{regions[name][0]}: region '{name}' is in no cpp block of {guide.name}")
    return problems, len(blocks)


def main(argv):
    guide = pathlib.Path(argv[1]) if len(argv) > 1 else HERE.parents[1] / "docs" / "guide.md"
    test_dir = pathlib.Path(argv[2]) if len(argv) > 2 else HERE
    problems, count = check(guide, test_dir)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{guide.name}: all {count} cpp blocks are compiled in {test_dir.name}/*.test.cpp")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
