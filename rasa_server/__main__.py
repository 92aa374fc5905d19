"""`python -m rasa_server …`: the `rasa` command line with the project's patches to Rasa.

    python -m rasa_server run --model models …      # the Rasa server (also shell, test nlu…)
    python -m rasa_server run actions --actions actions --port 5055   # the action server
    python -m rasa_server check                      # check every patch, replace nothing

Usage is that of `rasa`. Before Rasa starts, every patch of that server in
rasa_server/patches.py is checked against the source it was written for
(Rasa 3.6.21, rasa-sdk 3.6.2), then installed; a method that changed stops
the server with the name of what to read again. Every log line of both
servers is scrubbed of what people wrote (rasa_server/privacy.py).
"""

from __future__ import annotations

import sys

from rasa_server import patches, privacy


def server_of(argv: list[str]) -> str:
    return patches.ACTIONS if argv[:2] == ["run", "actions"] else patches.RASA


def check_everything() -> int:
    """Every entry of every server, against the installed Rasa (exit 1 with the first difference)."""
    try:
        for server in (patches.RASA, patches.ACTIONS):
            patches.check_all(server)
    except patches.RasaChanged as changed:
        print(changed, file=sys.stderr)
        return 1
    print(f"{len(patches.PATCHES)} entries match Rasa {patches.WRITTEN_FOR['rasa']}.")
    return 0


def without_jax() -> None:
    """Mark jax as absent before TensorFlow is imported.

    TensorFlow imports TF Lite's converter, which imports jax when it is installed
    (tensorflow/lite/python/util.py, in a `try … except ImportError`); pip installs jax because
    TensorFlow 2.12 requires it. Nothing here converts a model for TF Lite: without jax and its
    XLA library, the Rasa server holds 869 MB instead of 954 after its first message, and starts
    0.4 s sooner.
    """
    sys.modules.setdefault("jax", None)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["check"]:
        return check_everything()
    without_jax()
    privacy.install()
    patches.install(server_of(argv))

    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *argv]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
