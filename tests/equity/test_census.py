"""Loading ONS Census 2021 TS021: validated, all or nothing, and the same twice."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from healthjustice.equity.models import CensusPopulation, LocalAuthority
from healthjustice.equity.selectors import region_population
from healthjustice.equity.services import census_ethnicity_load, local_authority_map
from tests.equity import census_file
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

STOKE = "E06000021"
STAFFS = "E10000028"


@pytest.fixture
def region():
    region = RegionFactory(name="Staffordshire and Stoke-on-Trent")
    local_authority_map(actor=None, gss_code=STOKE, name="Stoke-on-Trent", region=region)
    local_authority_map(actor=None, gss_code=STAFFS, name="Staffordshire", region=region)
    return region


def _two_areas(**detail):
    return census_file.text(
        [
            census_file.row("Stoke-on-Trent", STOKE, {"Chinese": 40, **detail}),
            census_file.row("Staffordshire", STAFFS, base=200),
        ]
    )


def test_loads_every_category_and_maps_them_to_nhs_codes(region):
    result = census_ethnicity_load(actor=None, text=_two_areas())
    assert result.authorities == 2 and result.rows == 38
    population = region_population(region)
    assert not population.approximate and not population.missing
    # Chinese (R) goes to "Other" with Arab and Any other (S): 40 + 200, and 100·2 + 200·2.
    assert population.by_code["R"] == 240
    assert population.by_code["S"] == 600
    assert population.by_group["asian"] == 4 * 100 + 4 * 200
    assert population.by_group["other"] == 240 + 600
    # Gypsy or Irish Traveller, Roma and Other White are C.
    assert population.by_code["C"] == 3 * 100 + 3 * 200


def test_reloading_the_same_file_gives_the_same_rows(region):
    census_ethnicity_load(actor=None, text=_two_areas())
    first = sorted(
        CensusPopulation.objects.values_list("local_authority_id", "census_category", "count")
    )
    census_ethnicity_load(actor=None, text=_two_areas())
    again = sorted(
        CensusPopulation.objects.values_list("local_authority_id", "census_category", "count")
    )
    assert first == again and len(again) == 38


def test_a_new_file_replaces_the_figures(region):
    census_ethnicity_load(actor=None, text=_two_areas())
    census_ethnicity_load(actor=None, text=_two_areas(Indian=999))
    assert region_population(region).by_code["H"] == 999 + 200


def test_nomis_measures_suffix_is_read(region):
    text = census_file.text([census_file.row("Stoke-on-Trent", STOKE)], measures=True)
    assert census_ethnicity_load(actor=None, text=text).authorities == 1


def test_wrong_columns_are_refused_with_nothing_stored(region):
    text = "date,geography,geography code,Population\n2021,Stoke-on-Trent,E06000021,258369\n"
    with pytest.raises(ValidationError, match="does not have the columns of the ONS TS021 table"):
        census_ethnicity_load(actor=None, text=text)
    assert not CensusPopulation.objects.exists()


def test_an_area_in_no_region_is_refused_with_nothing_stored(region):
    text = census_file.text(
        [
            census_file.row("Stoke-on-Trent", STOKE),
            census_file.row("Cheshire East", "E06000049"),
        ]
    )
    with pytest.raises(ValidationError, match=r"Cheshire East \(E06000049\) is not in any region"):
        census_ethnicity_load(actor=None, text=text)
    assert not CensusPopulation.objects.exists()


def test_the_national_file_can_be_loaded_for_the_mapped_areas_only(region):
    text = census_file.text(
        [census_file.row("Stoke-on-Trent", STOKE), census_file.row("Cheshire East", "E06000049")]
    )
    result = census_ethnicity_load(actor=None, text=text, skip_unmapped=True)
    assert result.authorities == 1 and result.skipped == ("E06000049",)


def test_categories_that_do_not_add_up_are_refused(region):
    rows = [census_file.row("Stoke-on-Trent", STOKE)]
    rows[0][3] = "1"  # the total
    with pytest.raises(ValidationError, match="add up to 1,900, not the total 1"):
        census_ethnicity_load(actor=None, text=census_file.text(rows))


def test_a_count_that_is_not_a_number_is_refused(region):
    rows = [census_file.row("Stoke-on-Trent", STOKE)]
    rows[0][5] = "lots"
    with pytest.raises(ValidationError, match="Line 2: 'lots'"):
        census_ethnicity_load(actor=None, text=census_file.text(rows))


def test_a_bad_gss_code_is_refused(region):
    with pytest.raises(ValidationError, match="is not a GSS code"):
        local_authority_map(actor=None, gss_code="Stoke", name="Stoke", region=region)
    assert LocalAuthority.objects.count() == 2


def test_the_command_loads_a_file_and_reports_errors_plainly(region, tmp_path, capsys):
    path = tmp_path / "census2021-ts021-ltla.csv"
    path.write_text("\ufeff" + _two_areas(), encoding="utf-8")
    call_command("load_census_ethnicity", str(path))
    assert "Loaded 38 figures for 2 local authorities" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("geography code\nE06000021\n", encoding="utf-8")
    with pytest.raises(CommandError, match="does not have the columns"):
        call_command("load_census_ethnicity", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_census_ethnicity", str(tmp_path / "missing.csv"))


def _admin(signed_in):
    from healthjustice.organisations.roles import Role
    from tests.factories import TeamFactory, staff

    return signed_in(staff(role=Role.SYSTEM_ADMIN, team=TeamFactory()))


def _upload(client, text, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(
        reverse("admin:equity_censuspopulation_load"),
        {"file": SimpleUploadedFile("ts021.csv", text.encode(), "text/csv"), **extra},
    )


def test_a_system_administrator_loads_the_file_in_the_admin(region, signed_in):
    from healthjustice.audit.models import AuditEvent

    client = _admin(signed_in)
    response = _upload(client, _two_areas(), source="Nomis, downloaded 1 December 2026")
    assert response.status_code == 302
    assert CensusPopulation.objects.count() == 38
    assert set(CensusPopulation.objects.values_list("source", flat=True)) == {
        "Nomis, downloaded 1 December 2026"
    }
    assert AuditEvent.objects.filter(object_type="census_population").exists()
    changelist = client.get(response["Location"]).content.decode()
    assert "Loaded 38 figures for 2 local authorities." in changelist
    assert "Load a Census 2021 TS021 file" in changelist


def test_a_wrong_file_in_the_admin_is_named_and_nothing_is_stored(region, signed_in):
    client = _admin(signed_in)
    bad = _two_areas().replace("Ethnic group: Total: All usual residents", "Total")
    response = _upload(client, bad)
    assert response.status_code == 200
    assert "Ethnic group: Total: All usual residents" in response.content.decode()
    assert not CensusPopulation.objects.exists()
    not_utf8 = _upload(client, "")
    assert not_utf8.status_code == 200
    assert not CensusPopulation.objects.exists()
