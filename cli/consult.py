"""``landcoord consult``: survey counts (问卷调查) and mediation (调解) with its escalation path.

Examples::

    landcoord consent event project.gpkg --kind 问卷调查 --date 2024-04-01 --project P1
    landcoord consult survey project.gpkg --event 3 --count "是否同意方案=同意=42" \\
        --count "是否同意方案=不同意=6"
    landcoord consent event project.gpkg --kind 调解 --date 2024-06-01 --project P1 --holder 张三
    landcoord consult mediation project.gpkg --event 4 --holder 张三 --level community --outcome failed
    landcoord consult escalation project.gpkg --project P1

The forum (座谈会), solicited comments (意见征询) and expert/scheme review (论证会) are event kinds
of ``landcoord consent event``. Mediation levels come from the procedure file (``--procedure``).
"""

from __future__ import annotations

from ..allocation.errors import InputError
from ..allocation.i18n import tr, trn
from ._args import positive_int
from ._common import print_table
from .consent import _ledger_location, _open

NAME = "consult"
HELP = "Survey counts (问卷调查) and mediation (调解) with its escalation path for refusals and disputes."
OUTPUTS: dict = {}


def _common(s) -> None:
    _ledger_location(s)
    s.add_argument("--officer", help="name recorded as author of the changes (default: OS user)")
    s.add_argument(
        "--procedure", default="shenzhen_benefit_coordination", help="procedure file (mediation levels)"
    )


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    s = sub.add_parser("survey", help="record the counts of a survey event's answers")
    _common(s)
    s.add_argument("--event", required=True, type=positive_int, help="id of the survey event")
    s.add_argument("--count", action="append", default=[], metavar="QUESTION=ANSWER=N", help="repeat")
    s = sub.add_parser("counts", help="show survey counts with each answer's share")
    _common(s)
    s.add_argument("--event", type=positive_int)
    s = sub.add_parser("mediation", help="record a holder's mediation at a level, with its outcome")
    _common(s)
    s.add_argument("--event", required=True, type=positive_int, help="id of the mediation event")
    s.add_argument("--holder", required=True)
    s.add_argument("--level", required=True, help="a level of the procedure's escalation path")
    s.add_argument("--outcome", required=True, help="agreed|failed|pending")
    s.add_argument("--note")
    s = sub.add_parser("escalation", help="per holder: last mediation and the next step")
    _common(s)
    s.add_argument("--project", required=True)


def _counts(items) -> dict:
    out: dict = {}
    for text in items:
        parts = str(text).rsplit("=", 2)
        try:
            q, a, n = parts
            value = int(n)
        except ValueError:
            raise InputError(
                tr("--count '{value}': write QUESTION=ANSWER=N (N a whole number).", value=text)
            ) from None
        out.setdefault(q.strip(), {})[a.strip()] = value
    if not out:
        raise InputError(tr("Give at least one --count QUESTION=ANSWER=N."))
    return out


def run(args) -> int:
    from ..allocation import consultation as cs
    from ..allocation.procedure import load_procedure

    proc = load_procedure(args.procedure)
    with _open(args) as ledger:
        if args.action == "survey":
            n = cs.record_survey_counts(ledger, args.event, _counts(args.count))
            print(
                trn(
                    "{n} survey count recorded for event {event}",
                    "{n} survey counts recorded for event {event}",
                    n,
                    event=args.event,
                )
            )
        elif args.action == "counts":
            df = cs.survey_counts(ledger, args.event)
            print_table(
                [(r.event_id, r.question, r.answer, r.responses, f"{r.share:.1%}") for r in df.itertuples()],
                [tr("event"), tr("question"), tr("answer"), tr("responses"), tr("share")],
                align=["<", "<", "<", ">", ">"],
            )
        elif args.action == "mediation":
            mid = cs.record_mediation(
                ledger, args.event, args.holder, args.level, args.outcome, procedure=proc, note=args.note
            )
            print(tr("mediation {id} recorded", id=mid))
        else:
            df = cs.escalation(ledger, proc, args.project)
            print_table(
                [
                    (r.holder, r.level, r.outcome, r.day, r.next_step, r.next_level or "-")
                    for r in df.itertuples()
                ],
                [tr("holder"), tr("level"), tr("outcome"), tr("day"), tr("next step"), tr("next level")],
            )
    return 0
