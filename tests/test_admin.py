"""The Django admin is for system administrators: it reads every domain record, changes none of
them (they change through their services), and audits each write to reference data."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from phoihop.core.admin import CatalogueAdmin, ReadOnlyAdmin
from phoihop.orgunits.models import Organisation, OrgUnit

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
DOMAIN = [m for m, a in REGISTERED if isinstance(a, ReadOnlyAdmin)]


@pytest.fixture
def superuser(demo_user: Any) -> Client:
    client = Client()
    client.force_login(demo_user("admin"))
    return client


def _url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_the_admin_is_either_read_only_or_an_audited_catalogue() -> None:
    kinds = {m._meta.label: type(a).__mro__ for m, a in REGISTERED}

    assert all(ReadOnlyAdmin in mro or CatalogueAdmin in mro for mro in kinds.values()), kinds
    assert {"orgunits.OrgUnit", "orgunits.Person", "programmes.Phase", "accounts.User", "reporting.Report"} <= {
        m._meta.label for m in DOMAIN
    }


@pytest.mark.parametrize("model", [m for m, _a in REGISTERED], ids=lambda m: m._meta.label)
def test_it_lists_and_shows_every_model(superuser: Client, model: Any) -> None:
    assert superuser.get(_url(model, "changelist")).status_code == 200
    first = model._default_manager.first()
    if first is not None:
        assert superuser.get(_url(model, "change", first.pk)).status_code == 200


@pytest.mark.parametrize("model", DOMAIN, ids=lambda m: m._meta.label)
def test_it_changes_no_domain_record(superuser: Client, model: Any) -> None:
    first = model._default_manager.first()
    assert superuser.get(_url(model, "add")).status_code == 403
    if first is not None:
        before = model._default_manager.filter(pk=first.pk).values().get()
        superuser.post(_url(model, "change", first.pk), {})
        assert superuser.post(_url(model, "delete", first.pk), {"post": "yes"}).status_code == 403
        after = model._default_manager.filter(pk=first.pk).values().get()
        assert after == before


def test_it_names_the_administrator_and_the_action_of_a_catalogue_change(superuser: Client, demo_user: Any) -> None:
    organisation = Organisation.objects.get(code="ccb")
    response = superuser.post(
        _url(Organisation, "change", organisation.pk),
        {"code": organisation.code, "name": organisation.name, "short_name": "Hội CCB VN (sửa)"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = organisation.history.latest("history_date")
    assert row.short_name == "Hội CCB VN (sửa)"
    assert (row.history_user, row.history_change_reason) == (demo_user("admin"), "admin.change")


def test_it_refuses_the_admin_to_anyone_but_staff(client_as: Any) -> None:
    response = client_as("hanoi.ccb").get(_url(OrgUnit, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
