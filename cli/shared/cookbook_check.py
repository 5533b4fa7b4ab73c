"""Reference checker for `npm run bench`: a format check in the style of the data-preparation
notebooks of fine-tuning cookbooks (json.loads per line, then format checks on each example),
written for this project. It counts no tokens. Prints one JSON line: bytes, lines, seconds,
peak RSS (MB) and the error counts by kind.

Usage: python3 cookbook_check.py FILE
"""
import json
import resource
import sys
import time
from collections import Counter

ROLES = {"system", "user", "assistant"}


def check(example, errors):
    if not isinstance(example, dict):
        errors["data_type"] += 1
        return
    messages = example.get("messages")
    if not isinstance(messages, list) or not messages:
        errors["missing_messages_list"] += 1
        return
    for key in example:
        if key != "messages":
            errors["example_unrecognized_key"] += 1
    has_assistant = False
    for message in messages:
        if not isinstance(message, dict):
            errors["message_not_object"] += 1
            continue
        if "role" not in message or "content" not in message:
            errors["message_missing_key"] += 1
        if any(k not in ("role", "content") for k in message):
            errors["message_unrecognized_key"] += 1
        role = message.get("role")
        if role not in ROLES:
            errors["unrecognized_role"] += 1
        content = message.get("content")
        if not isinstance(content, str) or not content.strip():
            errors["missing_content"] += 1
        if role == "assistant":
            has_assistant = True
    if not has_assistant:
        errors["example_missing_assistant_message"] += 1


def main(path):
    started = time.perf_counter()
    errors = Counter()
    lines = 0
    size = 0
    with open(path, "rb") as f:
        for raw in f:
            size += len(raw)
            lines += 1
            if not raw.strip():
                continue
            try:
                example = json.loads(raw)
            except ValueError:
                errors["invalid_json"] += 1
                continue
            check(example, errors)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bytes": size, "lines": lines, "seconds": seconds, "maxRssMB": peak_mb, "errors": dict(errors)}))


if __name__ == "__main__":
    main(sys.argv[1])
