#!/usr/bin/python3
"""Peer figure: exchangelib (Debian python3-exchangelib) parsing the same saved GetItem answer
through its own service class (GetItem.parse: SOAP envelope, response messages, then
CalendarItem.from_xml for every item) and reading the fields calsync maps. No network: the
account object is only there because exchangelib's services need one.
Usage: peer_exchangelib.py FILE [RUNS]"""
import resource
import statistics
import sys
import time

import exchangelib
from exchangelib import DELEGATE, NTLM, Account, Build, Configuration, Credentials, Version
from exchangelib.services import GetItem


def one_pass(account, data):
    count = 0
    for item in GetItem(account=account).parse(data):
        if isinstance(item, Exception):
            raise item
        # What a mapping reads: times with their zones, text, recurrence, people.
        item.start, item.end, item.is_all_day, item._start_timezone, item._end_timezone
        item.subject, item.body, item.location, item.categories, item.uid
        item.recurrence, item.modified_occurrences, item.deleted_occurrences
        item.organizer, item.required_attendees, item.legacy_free_busy_status
        count += 1
    return count


def main():
    data = open(sys.argv[1], "rb").read()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    config = Configuration(service_endpoint="https://127.0.0.1:1/EWS/Exchange.asmx", credentials=Credentials("u", "p"),
                           auth_type=NTLM, version=Version(build=Build(15, 1, 2507, 6)))
    account = Account("bench@example.com", config=config, autodiscover=False, access_type=DELEGATE)
    times = []
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        count = one_pass(account, data)
        times.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"exchangelib {exchangelib.__version__}: {count} items, best {min(times)*1000:.0f} ms, "
          f"median {statistics.median(times)*1000:.0f} ms over {runs} runs, peak RSS {rss} MiB")


if __name__ == "__main__":
    main()
