from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.form_errors import apply_errors
from healthjustice.core.pagination import paginate, pagination_params
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission
from healthjustice.people import selectors as people_selectors

from . import selectors, services
from .forms import NotSamePersonForm, SamePersonForm
from .models import PairStatus, ProposedPair, ScanStatus


@permission_required(Permission.MATCHING_REVIEW)
@require_GET
def queue(request: AuthenticatedRequest) -> HttpResponse:
    page = paginate(request, selectors.pairs_for_user(request.user))
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="proposed_pairs",
        detail={"page": page.number, "results": len(page.object_list)},
    )
    return render(
        request,
        "matching/queue.html",
        {
            "title": "Possible duplicate records",
            "page": page,
            "pages": pagination_params(request, page),
            "rows": [(p, selectors.probability_in_words(p.probability)) for p in page],
            "scan": selectors.latest_scan(),
            "statuses": ScanStatus,
        },
    )


def _pair_page(
    request: AuthenticatedRequest,
    pair: ProposedPair,
    same_form: SamePersonForm | None = None,
    not_same_form: NotSamePersonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    open_pair = pair.status == PairStatus.PROPOSED
    can_merge = has_permission(request.user, Permission.PERSON_MERGE)
    show_records = has_permission(request.user, Permission.PERSON_VIEW)
    problems = (
        people_selectors.merge_problems(request.user, pair.first, pair.second)
        if open_pair and can_merge
        else []
    )
    return render(
        request,
        "matching/pair.html",
        {
            "title": "Check a possible duplicate",
            "pair": pair,
            "open_pair": open_pair,
            "decided": None if open_pair else services.decided_message(pair),
            "in_words": selectors.probability_in_words(pair.probability),
            "comparisons": selectors.field_comparisons(pair),
            "sides": [
                ("First record", people_selectors.merge_side(pair.first)),
                ("Second record", people_selectors.merge_side(pair.second)),
            ],
            "counts": (
                people_selectors.merge_counts(pair.first, pair.second) if show_records else []
            ),
            "can_merge": can_merge,
            # Information governance decides from the names, dates of birth and which details
            # agree, as the merged records show them: never the records themselves.
            "show_records": show_records,
            "problems": problems,
            "same_form": same_form or SamePersonForm(first=pair.first, second=pair.second),
            "not_same_form": not_same_form or NotSamePersonForm(),
        },
        status=status,
    )


@permission_required(Permission.MATCHING_REVIEW)
@require_GET
def pair_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    pair = selectors.pair_for_user(request.user, public_id, request=request)
    return _pair_page(request, pair)


def _stale(request: AuthenticatedRequest, exc: services.StaleDecision) -> HttpResponse:
    messages.error(request, f"{exc}.")
    return redirect("matching:queue")


@permission_required(Permission.PERSON_MERGE)
@require_POST
def pair_same(request: AuthenticatedRequest, public_id) -> HttpResponse:
    pair = selectors.pair_for_user(request.user, public_id, request=request)
    form = SamePersonForm(request.POST, first=pair.first, second=pair.second)
    if form.is_valid():
        try:
            services.pair_same_person(
                actor=request.user,
                pair=pair,
                keep_first=form.cleaned_data["keep"] == "first",
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.StaleDecision as exc:
            return _stale(request, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                "The records have been merged. You can undo the merge from the list of merged "
                "records.",
            )
            return redirect("matching:queue")
    return _pair_page(request, pair, same_form=form)


@permission_required(Permission.MATCHING_REVIEW)
@require_POST
def pair_not_same(request: AuthenticatedRequest, public_id) -> HttpResponse:
    pair = selectors.pair_for_user(request.user, public_id, request=request)
    form = NotSamePersonForm(request.POST)
    if form.is_valid():
        try:
            services.pair_not_same_person(
                actor=request.user, pair=pair, reason=form.cleaned_data["reason"], request=request
            )
        except services.StaleDecision as exc:
            return _stale(request, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                "Recorded as not the same person. This pair will not be proposed again.",
            )
            return redirect("matching:queue")
    return _pair_page(request, pair, not_same_form=form)


@permission_required(Permission.MATCHING_REVIEW)
@require_POST
def scan_start(request: AuthenticatedRequest) -> HttpResponse:
    try:
        scan = services.duplicate_scan_start(actor=request.user, request=request)
    except services.ScanAlreadyRunning as exc:
        messages.error(
            request,
            "A search for duplicates is already running. Its progress is shown below; start "
            "another when it has finished.",
        )
        return redirect("matching:scan_detail", public_id=exc.scan.public_id)
    return redirect("matching:scan_detail", public_id=scan.public_id)


@permission_required(Permission.MATCHING_REVIEW)
@require_GET
def scan_detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    scan = selectors.scan_for_user(request.user, public_id, request=request)
    return render(
        request,
        "matching/scan.html",
        {"title": "Search for duplicate records", "scan": scan, "statuses": ScanStatus},
    )


@permission_required(Permission.MATCHING_REVIEW)
@require_GET
def scan_status(request: AuthenticatedRequest, public_id) -> HttpResponse:
    """The progress panel alone, polled by the scan page until the search has finished."""
    scan = selectors.scan_for_user(request.user, public_id, request=request)
    return render(request, "matching/_scan_status.html", {"scan": scan, "statuses": ScanStatus})
