"""Child process of ``packages.load_test``: load a package folder's tokenizer
and CTranslate2 model and translate one sentence.

Prints ``ok``, or ``error: REASON`` (one line).  It runs apart from the
installer because parsing a hostile model file may crash or exhaust the
process that does it."""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from workbench.core.errors import WorkbenchError
    from workbench.core.mt.engine import Translator
    from workbench.core.mt.packages import LOAD_TEST_SENTENCE, read_package

    try:
        package = read_package(argv[0])
        output = Translator(package, threads=1).translate([LOAD_TEST_SENTENCE], beam_size=1)
        if len(output) != 1 or not isinstance(output[0], str):
            raise ValueError("no translation came out")
    except WorkbenchError as exc:
        print(f"error: {' '.join(str(exc).split())}")
        return 1
    except Exception as exc:  # noqa: BLE001 - anything a broken model raises is the answer
        print(f"error: {type(exc).__name__}: {' '.join(str(exc).split())}")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
