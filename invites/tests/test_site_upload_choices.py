"""The customer's site list upload: empty cells keep or erase, partial saves, rejected rows."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from assessments.models import Site
from imports.models import PendingSiteImport
from imports.services import site_lists as import_services
from tests.factories import messages_of

pytestmark = pytest.mark.django_db


def excel_csv(lines: list[str], encoding: str = "cp1252") -> bytes:
    """A CSV as Excel's "CSV (semicolon delimited)" saves it (de-DE, fr-FR): CRLF, ANSI."""
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# Lyon Office is saved with city "Lyon" and 160 people; its city cell is empty here.
LYON_WITHOUT_CITY = excel_csv(["Site name;Country;City;Users", "Lyon Office;Frankreich;;170"])
# Excel fr-FR: "Société Générale" in Windows-1252, one row refused (negative people), one
# new site, one update.
PARTLY_BAD = excel_csv(
    [
        "Site name;Country;City;Users",
        "Société Générale Lille;France;Lille;310",
        "Nîmes dépôt;France;Nîmes;-4",
        "Lyon Office;France;Lyon;175",
    ]
)


def _upload(client, link, data: bytes, name: str = "sites.csv"):
    response = client.post(link.url("sites-upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content[:400]
    return response


def _confirm(client, link, preview, **extra):
    """Press the save button of ``preview`` (its hidden fields, plus ``extra``)."""
    data = {"fingerprint": preview.context["plan"].fingerprint, "upload": preview.context["upload"]}
    return client.post(link.url("sites-upload-confirm"), {**data, **extra}, follow=True)


def test_an_empty_cell_keeps_the_saved_answer_unless_the_contact_chooses_to_erase(
    client, link, world
):
    _upload(client, link, LYON_WITHOUT_CITY)
    preview = client.get(link.url("sites-upload-preview"))
    assertContains(preview, "When a cell in your file is empty")
    assertContains(preview, 'value="keep" id="blanks-keep" checked')
    assert preview.context["plan"].rows[0].changes == [("Users", "160", "170")]

    erasing = client.get(link.url("sites-upload-preview"), {"blanks": "clear"})
    assertContains(erasing, 'value="clear" id="blanks-clear" checked')
    assert erasing.context["plan"].rows[0].changes == [
        ("City", "Lyon", "blank"),
        ("Users", "160", "170"),
    ]
    assertContains(erasing, '<input type="hidden" name="blanks" value="clear">')
    done = _confirm(client, link, erasing, blanks="clear")
    assert "Saved “sites.csv”: 1 updated." in messages_of(done)
    world.branch.refresh_from_db()
    assert (world.branch.city, world.branch.users) == ("", 170)


def test_saving_without_the_erase_choice_keeps_the_saved_answer(client, link, world):
    _upload(client, link, LYON_WITHOUT_CITY)
    # The page was shown with "erase", but the button pressed belongs to the "keep" page.
    keep = client.get(link.url("sites-upload-preview"), {"blanks": "keep"})
    done = _confirm(client, link, keep)
    assert "Saved “sites.csv”: 1 updated." in messages_of(done)
    world.branch.refresh_from_db()
    assert (world.branch.city, world.branch.users) == ("Lyon", 170)
    # The same page's fingerprint does not save the other choice: nothing is guessed.
    _upload(client, link, excel_csv(["Site name;Country;City", "Lyon Office;FR;"]))
    keep = client.get(link.url("sites-upload-preview"))
    stale = _confirm(client, link, keep, blanks="clear")
    assert "Nothing was saved" in " ".join(messages_of(stale))
    world.branch.refresh_from_db()
    assert world.branch.city == "Lyon"


def test_erasing_never_turns_an_empty_count_into_zero(client, link, world):
    _upload(client, link, excel_csv(["Site name;Country;City;Users", "Lyon Office;FR;;"]))
    erasing = client.get(link.url("sites-upload-preview"), {"blanks": "clear"})
    plan = erasing.context["plan"]
    assert [(p.line, p.column) for p in plan.errors] == [(2, "Users")]
    assertContains(erasing, "Correct the problems in your file and upload it again.")
    done = _confirm(client, link, erasing, blanks="clear", skip_rejected="1")
    assert "Nothing was saved" in " ".join(messages_of(done))
    world.branch.refresh_from_db()
    assert (world.branch.city, world.branch.users) == ("Lyon", 160)


def test_the_good_rows_can_be_saved_and_the_rows_with_problems_left_out(client, link, world):
    _upload(client, link, PARTLY_BAD)
    preview = client.get(link.url("sites-upload-preview"))
    assertContains(preview, "1 row cannot be saved as it is")
    assertContains(preview, "Save the 2 good rows, leave out the 1 with problems")
    assertContains(preview, '<input type="hidden" name="skip_rejected" value="1">')
    assert not Site.objects.filter(name="Société Générale Lille").exists()
    refused = _confirm(client, link, preview)  # an old form, without the choice
    assert "Nothing was saved: correct the problems listed first." in messages_of(refused)
    assert not Site.objects.filter(name="Société Générale Lille").exists()

    done = _confirm(client, link, preview, skip_rejected="1")
    assert "Saved “sites.csv”: 1 added, 1 updated, 1 row with problems left out." in messages_of(
        done
    )
    names = set(world.assessment.sites.values_list("name", flat=True))
    assert "Société Générale Lille" in names and "Nîmes dépôt" not in names
    world.branch.refresh_from_db()
    assert world.branch.users == 175
    assert not PendingSiteImport.objects.filter(invite=link.invite).exists()


def test_the_rows_with_problems_download_as_csv_with_what_to_correct(client, link):
    _upload(client, link, PARTLY_BAD, name="Standorte März.csv")
    preview = client.get(link.url("sites-upload-preview"))
    assertContains(preview, link.url("sites-upload-rejected"))
    response = client.get(link.url("sites-upload-rejected"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="standorte-marz-rejected-rows.csv"'
    )
    assert response["Cache-Control"] == "no-store"  # the page of a link is never cached
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Site name,Country,City,Users,Problem,Line in the uploaded file",
        "Nîmes dépôt,France,Nîmes,'-4,Users: -4 is below 0,3",
    ]


def test_the_download_with_erase_chosen_lists_the_rows_that_choice_refuses(client, link):
    _upload(client, link, excel_csv(["Site name;Country;City;Users", "Lyon Office;FR;;"]))
    keeping = client.get(link.url("sites-upload-rejected"))
    assert keeping.content.decode("utf-8-sig").splitlines() == [
        "Site name,Country,City,Users,Problem,Line in the uploaded file"
    ]
    erasing = client.get(link.url("sites-upload-rejected"), {"blanks": "clear"})
    lines = erasing.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith(
        'Lyon Office,FR,,,"Users: empty: a number is needed'
    )


def test_the_download_serves_only_this_links_own_upload(client, link, make_invite, world):
    _upload(client, link, PARTLY_BAD)
    # Staff have an upload of their own waiting in the same assessment.
    staff_file = excel_csv(["Site name;Country;Users", "Staff only;DE;-1"])
    PendingSiteImport.objects.create(
        assessment=world.assessment,
        user=world.owner,
        file_name="staff.csv",
        payload=import_services.parse_site_file(data=staff_file, file_name="staff.csv").payload(),
    )
    colleague = make_invite(name="Jonas Weber", email="jonas@contoso.example")
    response = client.get(colleague.url("sites-upload-rejected"), follow=True)
    assert response.redirect_chain == [(colleague.url("sites-upload"), 302)]
    assertNotContains(response, "Nîmes")
    assertNotContains(response, "Staff only")
    assert "There is no uploaded list waiting to be saved: upload a file first." in messages_of(
        response
    )
    # The link's own download is unchanged by the others, and ends with its upload.
    own = client.get(link.url("sites-upload-rejected")).content.decode("utf-8-sig")
    assert "Nîmes dépôt" in own and "Staff only" not in own
    client.post(link.url("sites-upload-discard"))
    gone = client.get(link.url("sites-upload-rejected"))
    assert gone.status_code == 302 and gone["Location"] == link.url("sites-upload")


def test_a_newer_upload_in_another_tab_is_not_saved_blind(client, link, world):
    _upload(client, link, excel_csv(["Site name;Country;Users", "Leeds office;GB;40"]))
    first = client.get(link.url("sites-upload-preview"))
    # Same shape (one new site), other content: only the upload tells them apart.
    _upload(client, link, excel_csv(["Site name;Country;Users", "Leeds depot;GB;900"]))
    done = _confirm(client, link, first)
    assert "Nothing was saved: a newer file was uploaded since that page was shown." in " ".join(
        messages_of(done)
    )
    assert not world.assessment.sites.filter(name__startswith="Leeds").exists()
    assert done.redirect_chain[-1][0] == link.url("sites-upload-preview")


def test_a_customers_upload_waits_in_the_same_store_as_a_members(client, link, world, login):
    _upload(client, link, PARTLY_BAD, name="Standorte.csv")
    staff = login(world.owner)
    staff_file = SimpleUploadedFile("staff.csv", excel_csv(["Site name;Country;Users", "X;DE;5"]))
    response = staff.post(
        reverse("imports:site-import", args=[world.assessment.pk]), {"file": staff_file}
    )
    assert response.status_code == 302
    waiting = {
        (p.file_name, p.user_id, p.invite_id)
        for p in PendingSiteImport.objects.filter(assessment=world.assessment)
    }
    assert waiting == {("Standorte.csv", None, link.invite.pk), ("staff.csv", world.owner.pk, None)}
    # A second upload through the link replaces the link's own, and only that.
    _upload(client, link, LYON_WITHOUT_CITY, name="Standorte-2.csv")
    names = set(PendingSiteImport.objects.values_list("file_name", flat=True))
    assert names == {"Standorte-2.csv", "staff.csv"}


def test_a_waiting_upload_belongs_to_exactly_one_uploader(link, world):
    payload = {"rows": []}
    for uploader in ({}, {"user": world.owner, "invite": link.invite}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PendingSiteImport.objects.create(
                assessment=world.assessment, file_name="x.csv", payload=payload, **uploader
            )
