"""Feedback responses: checking a filled-in form, masking personal data in suggestions, abuse limits.

Pure rules; the page collects the answers and the store keeps them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.personal_data import EMAIL, mask_personal_data
from core.personal_data import MASK as MASK  # the moderation page and its tests name it here
from core.questionnaire import YES_NO_KEYS, Questionnaire
from core.survey import ELEMENTS
from core.text import Text, clean_text

NOT_APPLICABLE = "na"
YES, NO = "ya", "tidak"
CONTACT_MAX_CHARS = 100


@dataclass(frozen=True)
class Response:
    """One checked response, ready to store."""

    questionnaire_version: str
    program: str  # a program code, or core.survey.GENERAL
    knows: bool
    used: bool
    answers: dict[str, int | None]  # SKM element key -> 1–4, None for not applicable
    benefit: int | None
    suggestion: str  # as written (kept private); the public sees masked_suggestion after approval
    profile: dict[str, str | None]
    contact: str | None  # only with consent

    @property
    def masked_suggestion(self) -> str:
        return mask_personal_data(self.suggestion)

    def fingerprint(self) -> str:
        """The same answers give the same fingerprint: how a repeated submission is recognised."""
        canonical = json.dumps(
            {
                "program": self.program,
                "knows": self.knows,
                "used": self.used,
                "answers": self.answers,
                "benefit": self.benefit,
                "suggestion": " ".join(self.suggestion.casefold().split()),
                "profile": self.profile,
                "contact": self.contact,
            },
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Problem:
    field: str  # the form field the message belongs to
    message: Text


@dataclass(frozen=True)
class Checked:
    response: Response | None
    problems: tuple[Problem, ...]


_PHONE = re.compile(r"^\+?[\d\s.\-()]{8,20}$")


def valid_contact(contact: str) -> bool:
    if EMAIL.fullmatch(contact):
        return True
    digits = re.sub(r"\D", "", contact)
    return bool(_PHONE.match(contact)) and 8 <= len(digits) <= 15


_REQUIRED = Text("Bagian ini wajib diisi.", "This is required.")


def check_form(questionnaire: Questionnaire, values: Mapping[str, Any], programs: Collection[str]) -> Checked:
    """Check what the form sent. ``values`` holds, by key: ``program``; ``tahu`` and ``pernah``
    ("ya"/"tidak"); each SKM element (1–4, "na" or None); ``manfaat`` (1–4 or None); ``saran``;
    each profile key (a choice value or None); ``kontak`` and ``setuju`` (consent)."""
    # Sections are checked in the form's order: the problems are listed to the resident in that order.
    problems: list[Problem] = []
    program = values.get("program")
    if program not in programs:
        problems.append(Problem("program", Text("Pilih program yang Anda nilai.", "Choose the program you rate.")))
    yes_no = _check_yes_no(values, problems)
    used = yes_no.get("pernah", False)
    answers = _check_elements(values, used, problems)
    benefit = _check_benefit(values, used, problems)
    suggestion = _check_suggestion(questionnaire, values, problems)
    profile = _check_profile(questionnaire, values, problems)
    contact = _check_contact(values, problems)
    if problems:
        return Checked(None, tuple(problems))
    return Checked(
        Response(
            questionnaire_version=questionnaire.version,
            program=str(program),
            knows=yes_no["tahu"],
            used=used,
            answers=answers,
            benefit=benefit,
            suggestion=suggestion,
            profile=profile,
            contact=contact or None,
        ),
        (),
    )


def _check_yes_no(values: Mapping[str, Any], problems: list[Problem]) -> dict[str, bool]:
    """``tahu`` and ``pernah`` as booleans; an answer other than ya/tidak is a problem (and False)."""
    yes_no: dict[str, bool] = {}
    for key in YES_NO_KEYS:
        answer = values.get(key)
        if answer not in (YES, NO):
            problems.append(Problem(key, Text("Jawab ya atau tidak.", "Answer yes or no.")))
        yes_no[key] = answer == YES
    return yes_no


def _check_elements(values: Mapping[str, Any], used: bool, problems: list[Problem]) -> dict[str, int | None]:
    """Each SKM element's answer, 1–4 or None for not applicable."""
    answers: dict[str, int | None] = {}
    for key in ELEMENTS:
        answer = values.get(key)
        if answer in (1, 2, 3, 4):
            answers[key] = int(answer)
        elif answer == NOT_APPLICABLE or (answer is None and not used):
            # Someone who never used the program cannot rate what they did not experience.
            answers[key] = None
        else:
            answers[key] = None
            problems.append(
                Problem(
                    key,
                    Text(
                        'Pilih salah satu jawaban, atau "Tidak berlaku" bila tidak Anda alami.',
                        'Choose an answer, or "Not applicable" if you did not experience it.',
                    ),
                )
            )
    return answers


def _check_benefit(values: Mapping[str, Any], used: bool, problems: list[Problem]) -> int | None:
    """The ``manfaat`` answer, 1–4; None when unanswered or unreadable (required once the program was used)."""
    benefit = values.get("manfaat")
    if benefit not in (1, 2, 3, 4, None):
        problems.append(Problem("manfaat", Text("Pilih salah satu dari empat jawaban.", "Choose one of the four.")))
        return None
    if benefit is None and used:
        problems.append(Problem("manfaat", _REQUIRED))
    return benefit


def _check_suggestion(questionnaire: Questionnaire, values: Mapping[str, Any], problems: list[Problem]) -> str:
    """The cleaned ``saran``; longer than the questionnaire allows is a problem."""
    suggestion = clean_text(str(values.get("saran") or ""))
    if len(suggestion) > questionnaire.suggestion_max_chars:
        problems.append(
            Problem(
                "saran",
                Text(
                    f"Saran terlalu panjang: {len(suggestion)} karakter, paling banyak "
                    f"{questionnaire.suggestion_max_chars}.",
                    f"The suggestion is too long: {len(suggestion)} characters, at most "
                    f"{questionnaire.suggestion_max_chars}.",
                ),
            )
        )
    return suggestion


def _check_profile(
    questionnaire: Questionnaire, values: Mapping[str, Any], problems: list[Problem]
) -> dict[str, str | None]:
    """Each profile answer, one of its question's choices or None; another value is a problem."""
    profile: dict[str, str | None] = {}
    for question in questionnaire.profile:
        answer = values.get(question.key)
        if answer in (None, ""):
            profile[question.key] = None
        elif answer in {c.value for c in question.choices}:
            profile[question.key] = str(answer)
        else:
            profile[question.key] = None
            problems.append(Problem(question.key, Text("Pilihan tidak dikenal.", "Unknown choice.")))
    return profile


def _check_contact(values: Mapping[str, Any], problems: list[Problem]) -> str:
    """The cleaned ``kontak`` ("" when none): one e-mail address or phone number, given with consent."""
    contact = clean_text(str(values.get("kontak") or ""))
    if not contact:
        return contact
    if len(contact) > CONTACT_MAX_CHARS or not valid_contact(contact):
        problems.append(
            Problem(
                "kontak",
                Text(
                    "Tulis satu alamat e-mail (nama@contoh.id) atau satu nomor telepon (0812…), atau kosongkan.",
                    "Write one e-mail address (name@example.org) or one phone number (0812…), or leave it empty.",
                ),
            )
        )
    elif not values.get("setuju"):
        problems.append(
            Problem(
                "setuju",
                Text(
                    "Centang persetujuan agar kami boleh menyimpan kontak Anda, atau kosongkan kontaknya.",
                    "Tick the consent so we may keep your contact, or leave the contact empty.",
                ),
            )
        )
    return contact


# --- abuse limits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    per_session_per_hour: int
    per_address_per_hour: int
    unknown_address_per_hour: int
    min_seconds: int
    duplicate_hours: int


@dataclass(frozen=True)
class Recent:
    """What the store knows about who is submitting, over the last hour (and the duplicate window)."""

    from_session: int
    from_address: int  # from this address; when the address is unknown, from every unknown address
    address_known: bool
    duplicate: bool  # the same answers from this session or address within the duplicate window


def refusal(limits: Limits, recent: Recent, opened_at: datetime, now: datetime) -> Text | None:
    """Why a submission is refused, or None to accept it."""
    waited = now - opened_at
    if waited < timedelta(seconds=limits.min_seconds):
        return Text(
            f"Terlalu cepat: formulir ini dikirim {int(waited.total_seconds())} detik setelah dibuka. "
            f"Periksa kembali jawaban Anda, lalu kirim lagi setelah {limits.min_seconds} detik.",
            f"Too fast: the form was sent {int(waited.total_seconds())} seconds after it opened. "
            f"Check your answers, then send it again after {limits.min_seconds} seconds.",
        )
    if recent.duplicate:
        return Text(
            "Tanggapan yang sama persis sudah kami terima. Terima kasih, tidak perlu mengirim dua kali.",
            "We already received exactly this response. Thank you, there is no need to send it twice.",
        )
    if recent.from_session >= limits.per_session_per_hour:
        return Text(
            f"Anda sudah mengirim {recent.from_session} tanggapan dalam satu jam terakhir, batasnya "
            f"{limits.per_session_per_hour}. Silakan coba lagi nanti.",
            f"You have sent {recent.from_session} responses in the last hour; the limit is "
            f"{limits.per_session_per_hour}. Please try again later.",
        )
    address_limit = limits.per_address_per_hour if recent.address_known else limits.unknown_address_per_hour
    if recent.from_address >= address_limit:
        return Text(
            "Terlalu banyak tanggapan dari jaringan Anda dalam satu jam terakhir. Silakan coba lagi nanti.",
            "Too many responses from your network in the last hour. Please try again later.",
        )
    return None
