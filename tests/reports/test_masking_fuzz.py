"""No personal data from the records reaches any format of a report.

Random accounts (ids, nicknames, phones, identity documents) go through the real
service; every rendering must lack the raw ids and nicknames, and phones and identity
documents in any form, masked ones included.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingwang.adapters.enforcement import ManualAction
from jingwang.adapters.reports import transparency_report
from jingwang.adapters.storage import InMemoryStorage
from jingwang.reports_render import RENDERERS

from .conftest import History, history_on

# Characters that no template uses, so that a nickname cannot occur by coincidence.
RARE = "龘靐齉爩鱻麤龗灪籱厵"
LABELS = [("porn", "porn_link"), ("fraud", "loan"), ("spam", None), ("illicit_ads", "ecig")]
SURFACES = ["chat", "group", "moments", "article", None]
DAY = date(2025, 5, 10)

account_ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=8, max_size=20).map(
    lambda tail: "wxid_" + tail
)
person = st.fixed_dictionaries(
    {
        "id": account_ids,
        "kind": st.sampled_from(["personal", "official", "group"]),
        "nickname": st.text(RARE, min_size=2, max_size=8),
        "phone": st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
        "document": st.from_regex(r"[1-6][0-9]{16}[0-9X]", fullmatch=True),
        "label": st.sampled_from(LABELS),
        "surface": st.sampled_from(SURFACES),
        "events": st.integers(1, 3),
        "manual": st.booleans(),
    }
)


def _populate(people: list[dict]) -> History:
    history = history_on(InMemoryStorage())
    at = datetime(2025, 5, 10, 2, tzinfo=UTC)
    for n, p in enumerate(people):
        history.register(
            p["id"], f"subject-{n}", kind=p["kind"], nickname=p["nickname"],
            phone=p["phone"], document=p["document"],
        )  # fmt: skip
        label, subcategory = p["label"]
        for k in range(p["events"]):
            at += timedelta(minutes=1)
            history.post(f"ev-{n}-{k}", p["id"], at, label, subcategory, surface=p["surface"])
        if p["manual"] and p["kind"] == "personal":
            history.act(at, ManualAction("warn", "account", p["id"], f"phone {p['phone']}"))
    return history


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(person, min_size=1, max_size=5, unique_by=lambda p: p["id"]))
def test_no_personal_data_in_any_format(people: list[dict]) -> None:
    history = _populate(people)
    storage = history.service.storage
    report = transparency_report(storage, DAY, DAY)
    assert report.examples, "every account was handled, so there are examples to check"
    with storage.enforcement() as unit:
        masked = [unit.accounts.get(p["id"]).phone_masked for p in people]  # type: ignore[union-attr]
        masked += [unit.subjects.get(s).document_masked for s in history.documents]  # type: ignore[union-attr]
    forbidden = [p["id"] for p in people] + [p["nickname"] for p in people]
    forbidden += [p["phone"] for p in people] + [p["document"] for p in people] + masked
    for name, render in RENDERERS.items():
        text = render(report)
        leaked = [value for value in forbidden if value in text]
        assert not leaked, f"{name} output leaks {leaked}"
