"""``python -m bench.load_profile OUT.prof -- streamlit run app.py ...``: Streamlit with every
script run profiled.

cProfile follows one thread, and Streamlit runs each page in a script-runner thread: so this
wraps ``ScriptRunner._run_script`` in a profiler of its own per run, and at exit (Streamlit
stops on SIGINT) writes all runs' statistics together, and per page, to ``OUT.prof`` and
``OUT.<page>.prof``. ``bench.load --profile`` starts the one-process server this way for its
profile phase; the load figures come from unprofiled servers.
"""

from __future__ import annotations

import atexit
import cProfile
import pstats
import sys
import threading
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    args = argv[argv.index("--") + 1 :]
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.ScriptRunner._run_script
    lock = threading.Lock()
    runs: dict[str, list[cProfile.Profile]] = {}

    def profiled(self: Any, rerun_data: Any, *rest: Any, **kw: Any) -> Any:
        page = getattr(rerun_data, "page_script_hash", "") or "main"
        profile = cProfile.Profile()
        profile.enable()
        try:
            return original(self, rerun_data, *rest, **kw)
        finally:
            profile.disable()
            with lock:
                runs.setdefault(page, []).append(profile)

    script_runner.ScriptRunner._run_script = profiled  # type: ignore[method-assign]

    def write() -> None:
        with lock:
            merged = [p for profiles in runs.values() for p in profiles]
            if merged:  # all runs first: what bench.load reads
                stats = pstats.Stats(merged[0])
                for p in merged[1:]:
                    stats.add(p)
                stats.dump_stats(str(out))
            out.with_suffix(".runs").write_text("\n".join(f"{page} {len(p)}" for page, p in runs.items()))
            for page, profiles in runs.items():
                stats = pstats.Stats(profiles[0])
                for p in profiles[1:]:
                    stats.add(p)
                stats.dump_stats(str(out.with_suffix(f".{page}.prof")))

    atexit.register(write)
    from streamlit.web import cli

    sys.argv = ["streamlit", *args[1:]] if args and args[0] == "streamlit" else ["streamlit", *args]
    try:
        cli.main()
    finally:
        write()
        atexit.unregister(write)


if __name__ == "__main__":
    main(sys.argv[1:])
