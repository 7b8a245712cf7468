"""Read-your-writes through a lagging replica, in a process of its own (tests/test_read_your_writes.py).

Run with ``DATABASE_URL`` (the primary) and ``DATABASE_REPLICA_URLS`` (one replica: a copy of the
primary taken before the write and never updated, a replica lagging without end). Prints one JSON
object: the status codes seen by the writer and by another reader, before and after the writer's
mark expires, and which database served each read.
"""

from __future__ import annotations

import json
import os
import sys

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    django.setup()
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from phoihop.accounts.models import User
    from phoihop.core.gate import system_job
    from phoihop.orgunits.models import OrgUnit, Person

    with system_job("test: the demo's users and unit"):
        writer, reader = User.objects.get(username="hanoi.ccb"), User.objects.get(username="admin")
        unit = OrgUnit.objects.get(code="CCB-HANOI")
    name = "Người Thử Đọc Ghi"
    clients = {}
    for user in (writer, reader):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    cache.clear()
    created = clients["hanoi.ccb"].post(
        reverse("orgunits:person-create"),
        {"full_name": name, "unit": unit.pk, "positions_text": "Hội viên", "gender": "", "rank": ""},
    )
    with system_job("test: where the person was written"):
        on_primary = Person.objects.using("default").filter(full_name=name).first()
        on_replica = Person.objects.using("replica_1").filter(full_name=name).exists()
    page = reverse("orgunits:person", args=[on_primary.pk]) if on_primary else ""
    result = {
        "created": created.status_code,
        "created_at": created.get("Location", ""),
        "on_primary": on_primary is not None,
        "on_replica": on_replica,
        "writer_reads_at_once": clients["hanoi.ccb"].get(page).status_code if page else None,
        "writer_list_shows_it": name
        in clients["hanoi.ccb"].get(reverse("orgunits:person-list"), {"q": "thu doc ghi"}).content.decode(),
        "other_reader": clients["admin"].get(page).status_code if page else None,
    }
    # An API client with a token issued now (on the primary only): the token works at once (what
    # says who may do what is read from the primary), and the client reads what it has just
    # written through the API, though DRF signs it in only inside the view.
    from knox.models import AuthToken

    with system_job("test: a token for the API client"):
        _instance, token = AuthToken.objects.create(writer)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT="application/json")
    made = api.post(
        reverse("api:person-list"),
        {"full_name": "Người Thử Qua API", "unit": unit.code, "positions": ["Hội viên"]},
        content_type="application/json",
    )
    result["api_created"] = made.status_code
    result["api_reads_at_once"] = api.get(made.json()["url"]).status_code if made.status_code == 201 else None
    cache.clear()  # the writer's mark expires (REPLICA_PIN_SECONDS): the replica serves them again
    result["writer_after_mark_expired"] = clients["hanoi.ccb"].get(page).status_code if page else None
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
