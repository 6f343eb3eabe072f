"""Start several real processes on one database at the same moment, each opening the audit log and recording a case.

Each child imports everything first and says it is ready; only when all are ready does the parent let them go,
so their schema upgrades really overlap (the race of two replicas starting on a fresh database).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import json, os, sys, time
from pathlib import Path
from assistant.answer.reply import Answer
from assistant.casefile.audit import AuditLog
from assistant.determination import Determination
from assistant.facts import Facts

url, folder, number = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
answer = Answer(
    question=f"replica {number} started and asks about its transfer",
    language="en",
    answer="Outcome: security assessment",
    determination=Determination(outcome="security_assessment"),
    facts=Facts(),
)
(folder / f"ready-{number}").touch()
while not (folder / "go").exists():
    time.sleep(0.001)
try:
    log = AuditLog(url)
    case_id = log.record(answer, "race")
    log.close()
except Exception as exc:  # the parent reports every failure, with its type
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
    sys.exit(1)
print(json.dumps({"case_id": case_id}))
"""


def start_together(url: str, folder: Path, replicas: int, timeout: float = 240.0) -> list[dict[str, str]]:
    """Run `replicas` processes on `url` released at once; what each printed ({"case_id"} or {"error"})."""
    folder.mkdir(parents=True, exist_ok=True)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, url, str(folder), str(number)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        for number in range(replicas)
    ]
    deadline = time.monotonic() + timeout
    while len(list(folder.glob("ready-*"))) < replicas:
        crashed = [child for child in children if child.poll() not in (None, 0)]
        if crashed or time.monotonic() > deadline:
            for child in children:
                child.kill()
            details = [child.communicate()[1][-2000:] for child in crashed]
            raise AssertionError(f"replicas did not get ready: {details}")
        time.sleep(0.01)
    (folder / "go").touch()
    results = []
    for child in children:
        out, err = child.communicate(timeout=timeout)
        lines = out.strip().splitlines()
        results.append(json.loads(lines[-1]) if lines else {"error": f"exit {child.returncode}: {err[-2000:]}"})
    return results
