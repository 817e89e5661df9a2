#!/usr/bin/python3
"""Checks that every method of every store part is exercised by its contract
suite: each name declared in <part>_store.h must be called in the matching
<part>_contract_test.cc. Run by ctest as store_contract_coverage."""
import pathlib
import re
import sys

PARTS = {
    "custody_store.h": "custody_contract_test.cc",
    "registration_store.h": "registration_contract_test.cc",
    "outbox_store.h": "outbox_contract_test.cc",
    "control_store.h": "control_contract_test.cc",
    "audit_store.h": "audit_contract_test.cc",
    "reporting_store.h": "reporting_contract_test.cc",
}

here = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
missing = []
total = 0
for header, suite in PARTS.items():
    methods = re.findall(r"virtual Result<[^;]*?> (\w+)\(", (here / header).read_text())
    calls = (here / suite).read_text()
    for m in methods:
        total += 1
        if not re.search(r"[.>]" + m + r"\(", calls):
            missing.append(f"{header}: {m} is never called in {suite}")
    if len(methods) > 20:
        missing.append(f"{header}: {len(methods)} methods; a part has at most 20")
for line in missing:
    print(line)
print(f"{total - len([m for m in missing if 'never' in m])} of {total} methods covered")
sys.exit(1 if missing else 0)
