#!/usr/bin/python3
"""Peer figure: python3-icalendar parsing the same file and reading the fields calsync
normalizes (what a Python sync tool pays for the same work). Usage: peer_icalendar.py FILE [RUNS]"""
import resource
import statistics
import sys
import time

import icalendar


def one_pass(data):
    cal = icalendar.Calendar.from_ical(data)
    count = 0
    for ev in cal.walk("VEVENT"):
        # Touch what a normalizer reads: times with zones, text, recurrence, people.
        ev.decoded("DTSTART")
        if "DTEND" in ev:
            ev.decoded("DTEND")
        str(ev.get("SUMMARY", ""))
        str(ev.get("DESCRIPTION", ""))
        ev.get("RRULE")
        ev.get("ATTENDEE")
        count += 1
    return count


def main():
    data = open(sys.argv[1], "rb").read()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    times = []
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        count = one_pass(data)
        times.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"python3-icalendar {icalendar.__version__}: {count} events, best {min(times)*1000:.0f} ms, "
          f"median {statistics.median(times)*1000:.0f} ms over {runs} runs, peak RSS {rss} MiB")


if __name__ == "__main__":
    main()
