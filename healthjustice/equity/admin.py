from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from healthjustice.core.error_messages import Form
from healthjustice.organisations.admin_base import PermissionAdmin

from .models import CensusPopulation, LocalAuthority
from .services import TS021_SOURCE, census_ethnicity_load

# The national TS021 file by local authority is well under a megabyte; this leaves room.
CENSUS_FILE_LIMIT = 20 * 1024 * 1024


class CensusFileForm(Form):
    file = forms.FileField(label="TS021 CSV file")
    skip_unmapped = forms.BooleanField(
        label="Leave out areas mapped to no region (for the national file)", required=False
    )
    source = forms.CharField(
        label="Where the file came from (optional)",
        required=False,
        max_length=300,
        help_text="For example the Nomis address and the date it was downloaded",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > CENSUS_FILE_LIMIT:
            raise ValidationError("The file is larger than 20 MB: choose the TS021 CSV file")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file is not a UTF-8 CSV file") from None


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(PermissionAdmin):
    list_display = ["name", "gss_code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "gss_code"]


@admin.register(CensusPopulation)
class CensusPopulationAdmin(PermissionAdmin):
    """Read only, row by row: figures come from a whole TS021 file, loaded here ("Load a Census
    2021 TS021 file") or by `manage.py load_census_ethnicity`, whole areas at a time."""

    list_display = [
        "local_authority",
        "census_group",
        "census_category",
        "nhs_code",
        "count",
        "approximate",
    ]
    list_filter = ["approximate", "local_authority__region", "census_group"]

    change_list_template = "admin/equity/censuspopulation/change_list.html"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        load = path(
            "load/",
            self.admin_site.admin_view(self.load_view),
            name="equity_censuspopulation_load",
        )
        return [load, *super().get_urls()]

    def load_view(self, request: HttpRequest) -> HttpResponse:
        """Load a TS021 file, as `manage.py load_census_ethnicity` does, whole or not at all."""
        if not self._allowed(request):
            raise PermissionDenied
        form = CensusFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = request.FILES.get("file")
            name = getattr(upload, "name", "upload")
            try:
                result = census_ethnicity_load(
                    actor=request.user,
                    text=form.cleaned_data["file"],
                    source=form.cleaned_data["source"] or f"{TS021_SOURCE}, file {name}",
                    skip_unmapped=form.cleaned_data["skip_unmapped"],
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                left_out = (
                    f" Left out {len(result.skipped)} areas mapped to no region."
                    if (result.skipped)
                    else ""
                )
                messages.success(
                    request,
                    f"Loaded {result.rows} figures for {result.authorities} local "
                    f"authorities.{left_out}",
                )
                return redirect("admin:equity_censuspopulation_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Load Census 2021 ethnic group figures",
            "form": form,
        }
        return TemplateResponse(request, "admin/equity/censuspopulation/load.html", context)
