"""The PCREF plan and the involvement register: the public progress page (no sign-in) and the
staff pages of those who keep the plan (pcref.manage)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.core.pagination import paginate, pagination_params
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.models import Organisation
from healthjustice.organisations.roles import Permission

from . import quarters, selectors, services
from .board_pdf import board_pdf
from .forms import (
    BoardChoiceForm,
    BoardNarrativeForm,
    InvolvementFilterForm,
    InvolvementForm,
    PlanActionForm,
)
from .models import PERSON_KINDS, Competency, Involvement, InvolvementKind, PlanAction

GET_POST = ["GET", "POST"]
PAGE_SIZE = 25
_FILTERS = ("kind", "date_from", "date_to")


def _contact_address() -> str:
    return str(getattr(settings, "HJ_PCREF_CONTACT_EMAIL", ""))


@login_not_required
@require_GET
def public_plan(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pcref/public_plan.html",
        {
            "title": "Our race equality plan: progress",
            "plans": selectors.public_plan(),
            "contact_email": _contact_address(),
        },
    )


# The plan (staff).


@permission_required(Permission.PCREF_MANAGE)
@require_GET
def plan(request: AuthenticatedRequest) -> HttpResponse:
    actions = list(selectors.plan_actions(request.user))
    groups = [(c.label, [a for a in actions if a.competency == c.value]) for c in Competency]
    return render(
        request,
        "pcref/plan.html",
        {"title": "PCREF plan", "groups": groups, "count": len(actions)},
    )


def _action_context(form: PlanActionForm, action: PlanAction | None) -> dict[str, Any]:
    return {
        "title": "Change a plan action" if action else "Add a plan action",
        "form": form,
        "action": action,
    }


def _save_action(
    request: AuthenticatedRequest, form: PlanActionForm, action: PlanAction | None
) -> PlanAction | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.save_action(
            actor=request.user,
            organisation=data["organisation"],
            competency=data["competency"],
            action_text=data["action"],
            owner=data["owner"],
            due_on=data["due_on"],
            status=data["status"],
            evidence=data["evidence"],
            action=action,
            expected_version=data["version"],
            request=request,
        )
    except StaleEditError as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        apply_errors(form, exc)
    return None


@permission_required(Permission.PCREF_MANAGE)
@require_http_methods(GET_POST)
def action_new(request: AuthenticatedRequest) -> HttpResponse:
    organisations = selectors.organisations_for(request.user)
    if request.method == "POST":
        form = PlanActionForm(request.POST, organisations=organisations)
        if _save_action(request, form, None) is not None:
            messages.success(request, "The action has been added to the plan.")
            return redirect("pcref:plan")
        return render(request, "pcref/action_form.html", _action_context(form, None), status=400)
    initial: dict[str, Any] = {}
    if organisations.count() == 1:
        initial["organisation"] = organisations.get().public_id
    if request.GET.get("competency") in Competency.values:
        initial["competency"] = request.GET["competency"]
    form = PlanActionForm(initial=initial, organisations=organisations)
    return render(request, "pcref/action_form.html", _action_context(form, None))


@permission_required(Permission.PCREF_MANAGE)
@require_http_methods(GET_POST)
def action_edit(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    action = selectors.plan_action(request.user, public_id)
    if action is None:
        raise Http404("No such action")
    organisations = selectors.organisations_for(request.user)
    if request.method == "POST":
        form = PlanActionForm(request.POST, organisations=organisations)
        if _save_action(request, form, action) is not None:
            messages.success(request, "The action has been saved.")
            return redirect("pcref:plan")
        return render(request, "pcref/action_form.html", _action_context(form, action), status=400)
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="pcref_action",
        object_id=str(action.public_id),
    )
    form = PlanActionForm(
        initial={
            "organisation": action.organisation.public_id,
            "competency": action.competency,
            "action": action.action,
            "owner": action.owner,
            "due_on": action.due_on,
            "status": action.status,
            "evidence": action.evidence,
            "version": action.version,
        },
        organisations=organisations,
    )
    return render(request, "pcref/action_form.html", _action_context(form, action))


# The involvement register (staff).


@permission_required(Permission.PCREF_MANAGE)
@require_GET
def involvement_list(request: AuthenticatedRequest) -> HttpResponse:
    submitted = any(key.startswith(_FILTERS) for key in request.GET)
    form = InvolvementFilterForm(request.GET if submitted else None)
    page = pages = None
    if not submitted or form.is_valid():
        values: dict[str, Any] = form.cleaned_data if submitted else {}
        rows = selectors.involvements(
            request.user,
            kind=values.get("kind") or "",
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
        )
        page = paginate(request, rows, PAGE_SIZE)
        pages = pagination_params(request, page)
        # The list names people: say whose records were shown.
        audit_record(
            actor=request.user,
            request=request,
            action=Action.VIEW,
            object_type="pcref_involvement_list",
            detail={
                "page": page.number,
                "involvement": [str(r.public_id) for r in page.object_list],
            },
        )
    return render(
        request,
        "pcref/involvement_list.html",
        {"title": "Involvement register", "form": form, "page": page, "pages": pages},
    )


def _save_involvement(
    request: AuthenticatedRequest, form: InvolvementForm, involvement: Involvement | None
) -> Involvement | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.save_involvement(
            actor=request.user,
            organisation=data["organisation"],
            answers=data,
            involvement=involvement,
            expected_version=data["version"],
            request=request,
        )
    except StaleEditError as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        apply_errors(form, exc)
    return None


def _involvement_context(form: InvolvementForm, involvement: Involvement | None) -> dict[str, Any]:
    return {
        "title": "Change an involvement record" if involvement else "Add to the register",
        "form": form,
        "involvement": involvement,
    }


@permission_required(Permission.PCREF_MANAGE)
@require_http_methods(GET_POST)
def involvement_new(request: AuthenticatedRequest) -> HttpResponse:
    organisations = selectors.organisations_for(request.user)
    if request.method == "POST":
        form = InvolvementForm(request.POST, organisations=organisations)
        if _save_involvement(request, form, None) is not None:
            messages.success(request, "The record has been added to the register.")
            return redirect("pcref:involvement")
        return render(
            request, "pcref/involvement_form.html", _involvement_context(form, None), status=400
        )
    initial: dict[str, Any] = {}
    if organisations.count() == 1:
        initial["organisation"] = organisations.get().public_id
    form = InvolvementForm(initial=initial, organisations=organisations)
    return render(request, "pcref/involvement_form.html", _involvement_context(form, None))


@permission_required(Permission.PCREF_MANAGE)
@require_http_methods(GET_POST)
def involvement_edit(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    involvement = selectors.involvement(request.user, public_id)
    if involvement is None:
        raise Http404("No such record")
    organisations = selectors.organisations_for(request.user)
    if request.method == "POST":
        form = InvolvementForm(request.POST, organisations=organisations)
        if _save_involvement(request, form, involvement) is not None:
            messages.success(request, "The record has been saved.")
            return redirect("pcref:involvement")
        return render(
            request,
            "pcref/involvement_form.html",
            _involvement_context(form, involvement),
            status=400,
        )
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="pcref_involvement",
        object_id=str(involvement.public_id),
        detail={"contact_shown": bool(involvement.contact)},
    )
    form = InvolvementForm(
        initial={
            "organisation": involvement.organisation.public_id,
            "kind": involvement.kind,
            "name": involvement.name,
            "activity": involvement.activity,
            "took_part_on": involvement.took_part_on,
            "role": involvement.role,
            "recognition": involvement.recognition,
            "amount": involvement.amount,
            "consent_to_contact": involvement.consent_to_contact,
            "contact": involvement.contact,
            "ethnic_category": involvement.ethnic_category,
            "version": involvement.version,
        },
        organisations=organisations,
    )
    return render(request, "pcref/involvement_form.html", _involvement_context(form, involvement))


@permission_required(Permission.PCREF_MANAGE)
@require_GET
def involvement_figures(request: AuthenticatedRequest) -> HttpResponse:
    submitted = any(key.startswith(("date_from", "date_to")) for key in request.GET)
    form = InvolvementFilterForm(request.GET if submitted else None)
    figures = None
    if not submitted or form.is_valid():
        values: dict[str, Any] = form.cleaned_data if submitted else {}
        figures = selectors.involvement_figures(
            request.user, date_from=values.get("date_from"), date_to=values.get("date_to")
        )
    return render(
        request,
        "pcref/involvement_figures.html",
        {
            "title": "Who is involved, by ethnic group",
            "form": form,
            "figures": figures,
            "person_kinds": [InvolvementKind(k).label.lower() for k in sorted(PERSON_KINDS)],
        },
    )


# The quarterly board report (those who keep the plan).


def _board_choice(request: AuthenticatedRequest) -> BoardChoiceForm:
    """The trust and quarter in the address; the user's first trust and the last complete
    quarter when none are given."""
    organisations = selectors.organisations_for(request.user)
    data = {
        "trust": request.GET.get("trust") or str(getattr(organisations.first(), "public_id", "")),
        "quarter": request.GET.get("quarter") or quarters.last_complete().key,
    }
    form = BoardChoiceForm(data, organisations=organisations)
    form.is_valid()
    return form


def _board_query(organisation: Organisation, quarter: quarters.Quarter) -> str:
    return urlencode({"trust": str(organisation.public_id), "quarter": quarter.key})


def _audit_board(
    request: AuthenticatedRequest,
    action: Action,
    organisation: Organisation,
    quarter: quarters.Quarter,
    **detail: Any,
) -> None:
    audit_record(
        actor=request.user,
        request=request,
        action=action,
        object_type="pcref_board_report",
        detail={"organisation": str(organisation.public_id), "quarter": quarter.key, **detail},
    )


@permission_required(Permission.PCREF_MANAGE)
@require_GET
def board(request: AuthenticatedRequest) -> HttpResponse:
    form = _board_choice(request)
    content = None
    query = ""
    if form.is_valid():
        organisation, quarter = form.chosen
        content = selectors.board_content(organisation, quarter)
        query = _board_query(organisation, quarter)
        _audit_board(request, Action.VIEW, organisation, quarter)
    return render(
        request,
        "pcref/board.html",
        {
            "title": "PCREF board report",
            "form": form,
            "content": content,
            "query": query,
            "narrative_fields": services.NARRATIVE_FIELDS,
        },
        status=200 if content is not None else 400,
    )


@permission_required(Permission.PCREF_MANAGE)
@require_http_methods(GET_POST)
def board_narrative(request: AuthenticatedRequest) -> HttpResponse:
    choice = _board_choice(request)
    if not choice.is_valid():
        raise Http404("No such report")
    organisation, quarter = choice.chosen
    saved = selectors.board_report(organisation, quarter)
    context: dict[str, Any] = {
        "title": "Write the board report",
        "organisation": organisation,
        "quarter": quarter,
        "query": _board_query(organisation, quarter),
        "saved": None,
        "narrative_fields": services.NARRATIVE_FIELDS,
    }
    if request.method == "POST":
        form = BoardNarrativeForm(request.POST)
        if form.is_valid():
            try:
                services.save_board_report(
                    actor=request.user,
                    organisation=organisation,
                    quarter=quarter,
                    answers=form.cleaned_data,
                    expected_version=form.cleaned_data["version"] or 0,
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
                # Nothing is lost: what they wrote stays in the boxes, and what is saved now
                # is shown beside it to copy from.
                context["saved"] = saved
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The board report has been saved.")
                return redirect(f"{reverse('pcref:board')}?{context['query']}")
        return render(request, "pcref/board_narrative.html", {**context, "form": form}, status=400)
    form = BoardNarrativeForm(
        initial={
            "summary": getattr(saved, "summary", ""),
            "heard": getattr(saved, "heard", ""),
            "changed": getattr(saved, "changed", ""),
            "version": saved.version if saved is not None else 0,
        }
    )
    return render(request, "pcref/board_narrative.html", {**context, "form": form})


@permission_required(Permission.PCREF_MANAGE)
@require_GET
def board_download(request: AuthenticatedRequest) -> HttpResponse:
    choice = _board_choice(request)
    if not choice.is_valid():
        raise Http404("No such report")
    organisation, quarter = choice.chosen
    content = selectors.board_content(organisation, quarter)
    _audit_board(request, Action.EXPORT, organisation, quarter, format="pdf")
    response = HttpResponse(board_pdf(content), content_type="application/pdf")
    name = slugify(f"pcref-board-report-{organisation.name}-{quarter.key}")[:100]
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
