"""Reference checker for `npm run bench`: the format validation and data warnings of the OpenAI
Cookbook notebook "Data preparation and analysis for chat model fine-tuning"
(https://cookbook.openai.com/examples/chat_finetuning_data_prep, source
openai/openai-cookbook examples/Chat_finetuning_data_prep.ipynb), written again here in plain
Python 3 (no numpy, no tiktoken) and without its token counts, which is the kind of checker
issue 13 compares the validator with ("a cookbook-style Python checker that counts no tokens at
all reads ~29 MB/s").

As the notebook does, it first loads the whole dataset into a list (json.loads per line), then
walks every example: the format checks (data_type, missing_messages_list, message_missing_key,
message_unrecognized_key, unrecognized_role, missing_content,
example_missing_assistant_message), then the data warnings that need no tokens (examples missing
a system or a user message, the distribution of messages per example). Two departures, so that
it can run on the bench file at all: a line that is not JSON is counted (`invalid_json`) instead
of stopping the notebook, and the warnings skip the examples that failed the format checks
(where the notebook's `ex["messages"]` would raise).

Prints one JSON line: bytes, lines, seconds, peak RSS (MB), the error counts by kind and the
warnings. Usage: python3 cookbook_check.py FILE
"""
import json
import os
import resource
import sys
import time
from collections import defaultdict

MESSAGE_KEYS = ("role", "content", "name", "function_call", "weight")
ROLES = ("system", "user", "assistant", "function")


def load(path, format_errors):
    """The notebook's loading step: every line parsed and kept in one list."""
    dataset = []
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            try:
                dataset.append(json.loads(line))
            except ValueError:
                format_errors["invalid_json"] += 1
    return dataset


def format_checks(dataset, format_errors):
    """The notebook's format validation; returns the examples without a format error."""
    valid = []
    for ex in dataset:
        if not isinstance(ex, dict):
            format_errors["data_type"] += 1
            continue
        messages = ex.get("messages", None)
        if not messages:
            format_errors["missing_messages_list"] += 1
            continue
        bad = False
        for message in messages:
            if "role" not in message or "content" not in message:
                format_errors["message_missing_key"] += 1
                bad = True
            if any(k not in MESSAGE_KEYS for k in message):
                format_errors["message_unrecognized_key"] += 1
                bad = True
            if message.get("role", None) not in ROLES:
                format_errors["unrecognized_role"] += 1
                bad = True
            content = message.get("content", None)
            function_call = message.get("function_call", None)
            if (not content and not function_call) or not isinstance(content, str):
                format_errors["missing_content"] += 1
                bad = True
        if not any(message.get("role", None) == "assistant" for message in messages):
            format_errors["example_missing_assistant_message"] += 1
            bad = True
        if not bad:
            valid.append(ex)
    return valid


def distribution(values):
    """min, max, mean, median, p5 and p95 (the notebook's print_distribution, without numpy)."""
    if not values:
        return None
    ordered = sorted(values)
    n = len(ordered)

    def quantile(q):
        # numpy's default (linear interpolation between closest ranks)
        pos = q * (n - 1)
        low = int(pos)
        high = min(low + 1, n - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)

    return {"min": ordered[0], "max": ordered[-1], "mean": sum(ordered) / n, "median": quantile(0.5), "p5": quantile(0.05), "p95": quantile(0.95)}


def warnings(dataset):
    """The notebook's data warnings that need no token counts."""
    n_missing_system = 0
    n_missing_user = 0
    n_messages = []
    for ex in dataset:
        messages = ex["messages"]
        if not any(message["role"] == "system" for message in messages):
            n_missing_system += 1
        if not any(message["role"] == "user" for message in messages):
            n_missing_user += 1
        n_messages.append(len(messages))
    return {"missingSystem": n_missing_system, "missingUser": n_missing_user, "messagesPerExample": distribution(n_messages)}


def main(path):
    started = time.perf_counter()
    format_errors = defaultdict(int)
    dataset = load(path, format_errors)
    valid = format_checks(dataset, format_errors)
    report = warnings(valid)
    seconds = time.perf_counter() - started
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bytes": os.path.getsize(path), "lines": lines, "seconds": seconds, "maxRssMB": peak_mb, "errors": dict(format_errors), "warnings": report}))


if __name__ == "__main__":
    main(sys.argv[1])
