#!/usr/bin/env python3
"""A Python agent metered through the aegis metering API, standard library only.

Run it with:
    aegis run -- python3 examples/python_agent.py

It stands in for a real agent: instead of calling an LLM it reports the usage a real call
would return. The metering API is plain HTTP + JSON at $AEGIS_URL with the bearer token
$AEGIS_TOKEN (both set by `aegis run`).
"""
import json
import os
import sys
import urllib.error
import urllib.request


def meter(path, usage):
    """POSTs a usage to /v1/check or /v1/record and returns aegis's decision."""
    request = urllib.request.Request(
        os.environ["AEGIS_URL"] + path,
        data=json.dumps(usage).encode(),
        headers={"Authorization": "Bearer " + os.environ["AEGIS_TOKEN"], "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:  # 400 bad usage, 401 wrong token, 413 too large
        raise SystemExit("aegis refused the request: %s" % json.load(error)["error"]["message"])


def main():
    if "AEGIS_URL" not in os.environ or "AEGIS_TOKEN" not in os.environ:
        sys.exit("this process is not running under `aegis run`: start it with `aegis run -- python3 %s`" % sys.argv[0])
    steps = [
        {"model": "gpt-4o", "input_tokens": 2000, "output_tokens": 400, "action_type": "plan"},
        {"model": "gemini-2.5-flash", "input_tokens": 12000, "output_tokens": 900, "action_type": "read"},
        {"model": "claude-haiku-4.5", "input_tokens": 3000, "output_tokens": 500, "cached_tokens": 2000, "action_type": "answer"},
    ]
    for usage in steps:
        if meter("/v1/check", usage)["action"] == "block":  # pre-flight, records nothing
            break
        # ... call the LLM here, then report what it really used ...
        decision = meter("/v1/record", usage)
        print("%-6s %-18s $%.6f  session $%.6f  %s" % (usage["action_type"], usage["model"], decision["cost_usd"], decision["cumulative_usd"], decision["action"]))
        if decision["action"] == "block":
            print("blocked: " + decision["reason"], file=sys.stderr)
            break


if __name__ == "__main__":
    main()
