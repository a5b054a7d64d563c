from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from healthjustice.accounts.requests import AuthenticatedRequest
from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.concurrency import StaleEditError
from healthjustice.core.form_errors import apply_errors
from healthjustice.core.pagination import paginate, pagination_params
from healthjustice.organisations.decorators import permission_required
from healthjustice.organisations.models import Team
from healthjustice.organisations.permissions import has_permission
from healthjustice.organisations.roles import Permission

from . import merging, selectors, services
from .access import BasisOfAccess, person_sight, viewing_team_ids
from .duplicates import DuplicateCheck, NewPerson, check_for_duplicates
from .forms import (
    AliasForm,
    BreakGlassOpenForm,
    BreakGlassSearchForm,
    EditPersonForm,
    MergeForm,
    PersonSearchForm,
    RegisterPersonForm,
    RestrictionForm,
    UnmergeForm,
)


@permission_required(Permission.PERSON_SEARCH)
@require_http_methods(["GET", "POST"])
def search(request: AuthenticatedRequest) -> HttpResponse:
    """Search is a POST so no name or NHS number ever appears in a URL or a server log."""
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.person_search(request.user, request=request, **form.cleaned_data)
    return render(
        request,
        "people/search.html",
        {
            "title": "Find a person",
            "form": form,
            "results": results,
            "can_break_glass": has_permission(request.user, Permission.PERSON_BREAK_GLASS),
        },
    )


@permission_required(Permission.PERSON_BREAK_GLASS)
@require_http_methods(["GET", "POST"])
def break_glass_search(request: AuthenticatedRequest) -> HttpResponse:
    form = BreakGlassSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        criteria = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        results = selectors.break_glass_search(request.user, request=request, **criteria)
    return render(
        request,
        "people/break_glass_search.html",
        {
            "title": "Open a record outside your teams",
            "form": form,
            "results": results,
        },
    )


@permission_required(Permission.PERSON_BREAK_GLASS)
@require_POST
def break_glass_open(request: AuthenticatedRequest, public_id) -> HttpResponse:
    form = BreakGlassOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason you need this record (at least 10 characters).")
        return redirect("people:break_glass_search")
    try:
        services.break_glass_open(
            actor=request.user,
            person_public_id=public_id,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:break_glass_search")
    return redirect("people:detail", public_id=public_id)


@permission_required(Permission.PERSON_CREATE)
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedRequest) -> HttpResponse:
    teams = Team.objects.filter(id__in=viewing_team_ids(request.user)).order_by("name")
    form = RegisterPersonForm(request.POST if request.method == "POST" else None, teams=teams)
    duplicates = DuplicateCheck()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = check_for_duplicates(request.user, NewPerson.from_form(data))
        confirmed = request.POST.get("confirm_not_duplicate") == "yes"
        if duplicates and not confirmed:
            return render(
                request,
                "people/register.html",
                {"title": "Register a person", "form": form, "duplicates": duplicates},
            )
        try:
            person = services.person_register(
                actor=request.user,
                team=data["team"],
                data=services.person_details(data),
                aliases=data["other_names"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} has been registered.")
            return redirect("people:detail", public_id=person.public_id)
    return render(
        request,
        "people/register.html",
        {"title": "Register a person", "form": form, "duplicates": duplicates},
    )


def _shared_by_notice(basis: BasisOfAccess | None) -> str:
    """Says so when the record is open to the user only through a data-sharing agreement."""
    if basis is None or basis.agreement is None:
        return ""
    return format_html(
        "<p>No team of yours works with this person. You can see this record under the "
        "data-sharing agreement <strong>{}</strong> (reference {}). Use it only for the "
        "purposes the agreement covers.</p>",
        basis.agreement.title,
        basis.agreement.reference,
    )


@permission_required(Permission.PERSON_VIEW)
def detail(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = selectors.person_or_kept_record(request.user, public_id, request=request)
    if isinstance(person, selectors.MergedInto):
        messages.info(
            request,
            "The record you opened was merged into this one, because they are the same person.",
        )
        return redirect("people:detail", public_id=person.kept.public_id)
    # Decided by person_for_user for this request: no second look at the access rules.
    sight = person_sight(request.user, person)
    if sight is None:  # person_for_user has refused (and audited) anyone without sight
        raise PermissionDenied
    return render(
        request,
        "people/detail.html",
        {
            "title": "Person record",
            "person": person,
            "aliases": list(person.aliases.all()),
            "restricted": hasattr(person, "restriction"),
            "break_glass": None if sight.within_relationships else sight.glass,
            "shared_by": _shared_by_notice(sight.basis),
            "timeline": selectors.person_timeline(person, user=request.user),
            "sections": selectors.person_sections(request, person),
            "teams": selectors.current_care_teams(person),
            "can_edit": has_permission(request.user, Permission.PERSON_EDIT),
            "can_restrict": has_permission(request.user, Permission.PERSON_RESTRICT),
            "can_merge": has_permission(request.user, Permission.PERSON_MERGE),
        },
    )


@permission_required(Permission.PERSON_EDIT)
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = selectors.person_for_user(request.user, public_id, request=request)
    if request.method == "POST":
        form = EditPersonForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.person_update(
                    actor=request.user,
                    person=person,
                    data=services.person_details(data),
                    expected_version=data["version"],
                    request=request,
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied:
                raise
            else:
                messages.success(request, "The details have been saved.")
                return redirect("people:detail", public_id=person.public_id)
    else:
        initial = {name: getattr(person, name) for name in services.EDITABLE_FIELDS}
        initial["ethnic_category"] = str(person.ethnic_category_id or "")
        initial["nhs_number"] = person.nhs_number_display
        initial["version"] = person.version
        form = EditPersonForm(initial=initial)
    return render(
        request,
        "people/edit.html",
        {
            "title": "Change details",
            "form": form,
            "person": person,
        },
    )


@permission_required(Permission.PERSON_EDIT)
@require_http_methods(["GET", "POST"])
def alias_add(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = selectors.person_for_user(request.user, public_id, request=request)
    form = AliasForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.alias_add(actor=request.user, person=person, request=request, **form.cleaned_data)
        messages.success(request, "The other name has been added.")
        return redirect("people:detail", public_id=person.public_id)
    return render(
        request,
        "people/alias_add.html",
        {
            "title": "Add another name",
            "form": form,
            "person": person,
        },
    )


@permission_required(Permission.PERSON_RESTRICT)
@require_http_methods(["GET", "POST"])
def restrict(request: AuthenticatedRequest, public_id) -> HttpResponse:
    person = selectors.person_for_user(request.user, public_id, request=request)
    candidates = selectors.restriction_candidates(person)
    existing = getattr(person, "restriction", None)
    initial = (
        {
            "reason": existing.reason,
            "note": existing.note,
            "allowed_users": [str(u.public_id) for u in existing.allowed_users.all()],
        }
        if existing
        else None
    )
    form = RestrictionForm(
        request.POST if request.method == "POST" else None, candidates=candidates, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.restriction_set(
            actor=request.user, person=person, request=request, **form.cleaned_data
        )
        messages.success(request, "The record is now restricted to the staff you named.")
        return redirect("people:detail", public_id=person.public_id)
    return render(
        request,
        "people/restrict.html",
        {
            "title": "Restrict the record",
            "form": form,
            "person": person,
        },
    )


@permission_required(Permission.PERSON_MERGE)
@require_http_methods(["GET", "POST"])
def merge_choose(request: AuthenticatedRequest, public_id) -> HttpResponse:
    """Choose the other record: a likely duplicate, or one found by searching (a POST, so no
    name or NHS number appears in a URL)."""
    person = selectors.person_for_user(request.user, public_id, request=request)
    candidates, hidden = selectors.merge_candidates(request.user, person)
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = [
            m
            for m in selectors.person_search(request.user, request=request, **form.cleaned_data)
            if m.person.pk != person.pk
        ]
    return render(
        request,
        "people/merge_choose.html",
        {
            "title": "Merge with another record",
            "person": person,
            "candidates": candidates,
            "hidden_candidates": hidden,
            "form": form,
            "results": results,
        },
    )


@permission_required(Permission.PERSON_MERGE)
@require_http_methods(["GET", "POST"])
def merge_compare(request: AuthenticatedRequest, public_id, other_id) -> HttpResponse:
    person = selectors.person_for_user(request.user, public_id, request=request)
    other = selectors.person_for_user(request.user, other_id, request=request)
    form = MergeForm(request.POST if request.method == "POST" else None, person=person, other=other)
    problems = selectors.merge_problems(request.user, person, other)
    if request.method == "POST" and not problems and form.is_valid():
        keep, duplicate = (
            (person, other) if form.cleaned_data["keep"] == "this" else (other, person)
        )
        try:
            merging.person_merge(
                actor=request.user,
                keep=keep,
                duplicate=duplicate,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                "The records have been merged. Everything from the other record is now on this "
                "one. You can undo the merge from the list of merged records.",
            )
            return redirect("people:detail", public_id=keep.public_id)
    return render(
        request,
        "people/merge_compare.html",
        {
            "title": "Compare two records before merging",
            "person": person,
            "other": other,
            "sides": [
                ("The record you started from", selectors.merge_side(person)),
                ("The record you chose", selectors.merge_side(other)),
            ],
            "counts": selectors.merge_counts(person, other),
            "problems": problems,
            "form": form,
        },
    )


@permission_required(Permission.PERSON_MERGES_VIEW)
@require_GET
def merges(request: AuthenticatedRequest) -> HttpResponse:
    page = paginate(request, selectors.merges_for_user(request.user))
    audit_record(
        actor=request.user,
        request=request,
        action=Action.VIEW,
        object_type="person_merges",
        detail={"page": page.number, "results": len(page.object_list)},
    )
    return render(
        request,
        "people/merges.html",
        {
            "title": "Merged records",
            "page": page,
            "pages": pagination_params(request, page),
            "can_undo": has_permission(request.user, Permission.PERSON_MERGE),
            "can_read_audit": has_permission(request.user, Permission.AUDIT_READ),
        },
    )


@permission_required(Permission.PERSON_MERGE)
@require_http_methods(["GET", "POST"])
def merge_undo(request: AuthenticatedRequest, public_id) -> HttpResponse:
    merge = selectors.merge_for_user(request.user, public_id, request=request)
    form = UnmergeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            merging.person_unmerge(
                actor=request.user,
                merge=merge,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, "The merge has been undone: both records are back as they were."
            )
            return redirect("people:merges")
    return render(
        request,
        "people/merge_undo.html",
        {"title": "Undo a merge", "merge": merge, "form": form},
    )
