"""Signs and validates webhook requests with the official `twilio` package, for the Rust tests.

Reads one JSON case per line on stdin: {"token", "signed_url", "check_url", "params": [[name, value], ...]}.
Writes one JSON line per case: {"signature": compute_signature(signed_url), "valid": validate(check_url)}.
Parameters are passed as a multi-valued dict with `getall`, the interface the library reads for Flask's
MultiDict, so a name given more than once keeps all its values as a form field does.
"""
import json
import sys

from twilio.request_validator import RequestValidator


class MultiDict(dict):
    """name -> list of values; what the validator calls for each name is getall(name)."""

    def getall(self, name):
        return self[name]


for line in sys.stdin:
    case = json.loads(line)
    params = MultiDict()
    for name, value in case["params"]:
        params.setdefault(name, []).append(value)
    validator = RequestValidator(case["token"])
    signature = validator.compute_signature(case["signed_url"], params)
    valid = validator.validate(case["check_url"], params, signature)
    print(json.dumps({"signature": signature, "valid": valid}), flush=True)
