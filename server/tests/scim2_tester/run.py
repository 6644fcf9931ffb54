"""Runs scim2-tester (PyPI, pinned in build.sh) against a SCIM server: every check it has, one JSON
line per check on stdout ({"status", "title", "reason", "resource_type"}).

Usage: run.py BASE_URL TOKEN    (BASE_URL ends in /scim/v2)
"""

import json
import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import check_server


def main() -> None:
    base_url, token = sys.argv[1], sys.argv[2]
    http = httpx2.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    for result in check_server(client):
        line = {
            "status": result.status.name,
            "title": result.title,
            "reason": result.reason,
            "resource_type": result.resource_type,
        }
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
