"""The feedback questionnaire as data: questions, answer scales and labels in both languages, a version.

It is defined in ``kuesioner.toml`` so the city can change wording without touching code; this module
turns the parsed file into a checked model and refuses a file that would break the IKM (the nine SKM
element keys of Permenpan RB 14/2017 are fixed, each with a four-step scale).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.survey import ELEMENTS
from core.text import Text
from core.wilayah import KECAMATAN

YES_NO_KEYS = ("tahu", "pernah")  # knows the program; has used it or benefited from it
PROFILE_KEYS = ("usia", "jenis_kelamin", "pendidikan", "pekerjaan", "kecamatan")


class QuestionnaireError(ValueError):
    """The questionnaire file is wrong; the message names the field."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text


@dataclass(frozen=True)
class ScaleQuestion:
    """A 1–4 question: one of the nine SKM elements, or the benefit felt."""

    key: str
    question: Text  # may hold "{program}"
    scale: tuple[Text, Text, Text, Text]  # the labels of 1, 2, 3, 4

    def text(self, lang: str, program: str) -> str:
        return self.question.get(lang).replace("{program}", program)


@dataclass(frozen=True)
class YesNoQuestion:
    key: str
    label: Text

    def text(self, lang: str, program: str) -> str:
        return self.label.get(lang).replace("{program}", program)


@dataclass(frozen=True)
class ProfileQuestion:
    key: str
    label: Text
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: Text
    intro: Text
    general_program: Text  # what "{program}" reads as for a general response
    program_label: Text
    general_choice: Text
    yes_no: tuple[YesNoQuestion, ...]
    not_applicable: Text
    not_applicable_help: Text
    elements: tuple[ScaleQuestion, ...]
    benefit: ScaleQuestion
    suggestion_label: Text
    suggestion_help: Text
    suggestion_max_chars: int
    profile: tuple[ProfileQuestion, ...]
    contact_label: Text
    contact_consent: Text


def _text(data: Any, where: str) -> Text:
    complete = isinstance(data, Mapping) and all(isinstance(data.get(k), str) and data[k] for k in ("id", "en"))
    if not complete:
        raise QuestionnaireError(f'{where} needs text in both languages: {{ id = "...", en = "..." }}')
    return Text(data["id"], data["en"])


def _table(data: Mapping[str, Any], key: str, where: str = "") -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise QuestionnaireError(f"[{where}{key}] is missing")
    return value


def _scale(data: Mapping[str, Any], where: str) -> ScaleQuestion:
    scale = data.get("scale")
    if not isinstance(scale, list) or len(scale) != 4:
        raise QuestionnaireError(f"{where}: scale needs exactly four labels, for 1 (worst) to 4 (best)")
    labels = tuple(_text(label, f"{where}: scale[{i + 1}]") for i, label in enumerate(scale))
    return ScaleQuestion(str(data.get("key", where)), _text(data.get("question"), f"{where}: question"), labels)  # type: ignore[arg-type]


def _profile(data: Mapping[str, Any], i: int) -> ProfileQuestion:
    key = data.get("key")
    where = f"[[profile]] #{i + 1}"
    if key not in PROFILE_KEYS:
        raise QuestionnaireError(f"{where}: key must be one of {', '.join(PROFILE_KEYS)}, not {key!r}")
    raw = data.get("choices")
    if raw == "kecamatan":
        choices = tuple(Choice(name, Text(name, name)) for name in KECAMATAN)
    elif isinstance(raw, list) and raw:
        choices = tuple(
            Choice(str(c.get("value", "")), _text(c, f"{where}: choices[{j + 1}]"))
            for j, c in enumerate(raw)
            if isinstance(c, Mapping)
        )
        if len(choices) != len(raw) or any(not c.value for c in choices):
            raise QuestionnaireError(f"{where}: every choice needs a value and text in both languages")
        if len({c.value for c in choices}) != len(choices):
            raise QuestionnaireError(f"{where}: choice values must be unique")
    else:
        raise QuestionnaireError(f'{where}: choices must be a list, or "kecamatan" for the official list')
    return ProfileQuestion(str(key), _text(data.get("label"), f"{where}: label"), choices)


def parse_questionnaire(data: Mapping[str, Any]) -> Questionnaire:
    """Check a parsed ``kuesioner.toml`` and build the model; a wrong file raises QuestionnaireError."""
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise QuestionnaireError('version is missing: every response keeps the version it answered (e.g. "2026.1")')
    raw_elements = data.get("elements")
    if not isinstance(raw_elements, list):
        raise QuestionnaireError("[[elements]] is missing: the nine SKM elements")
    elements = tuple(_scale(e, f"[[elements]] {e.get('key', i + 1)}") for i, e in enumerate(raw_elements))
    keys = [e.key for e in elements]
    if sorted(keys) != sorted(ELEMENTS):
        missing = sorted(set(ELEMENTS) - set(keys))
        extra = sorted(set(keys) - set(ELEMENTS))
        raise QuestionnaireError(
            "[[elements]] must be exactly the nine SKM elements, each once"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(extra)}" if extra else "")
        )
    raw_yes_no = data.get("yes_no")
    if not isinstance(raw_yes_no, list) or sorted(q.get("key") for q in raw_yes_no) != sorted(YES_NO_KEYS):
        raise QuestionnaireError(f"[[yes_no]] must hold the questions {', '.join(YES_NO_KEYS)}")
    yes_no = tuple(YesNoQuestion(q["key"], _text(q.get("label"), f"[[yes_no]] {q['key']}: label")) for q in raw_yes_no)
    raw_profile = data.get("profile", [])
    if not isinstance(raw_profile, list):
        raise QuestionnaireError("[[profile]] must be a list of tables")
    profile = tuple(_profile(p, i) for i, p in enumerate(raw_profile))
    if len({p.key for p in profile}) != len(profile):
        raise QuestionnaireError("[[profile]]: each key at most once")
    max_chars = data.get("suggestion_max_chars", 1000)
    if not isinstance(max_chars, int) or isinstance(max_chars, bool) or not 1 <= max_chars <= 5000:
        raise QuestionnaireError("suggestion_max_chars must be a whole number from 1 to 5000")
    program = _table(data, "program_question")
    na = _table(data, "not_applicable")
    suggestion = _table(data, "suggestion")
    contact = _table(data, "contact")
    return Questionnaire(
        version=version.strip(),
        title=_text(data.get("title"), "title"),
        intro=_text(data.get("intro"), "intro"),
        general_program=_text(data.get("general_program"), "general_program"),
        program_label=_text(program.get("label"), "[program_question] label"),
        general_choice=_text(program.get("general"), "[program_question] general"),
        yes_no=yes_no,
        not_applicable=_text(na.get("label"), "[not_applicable] label"),
        not_applicable_help=_text(na.get("help"), "[not_applicable] help"),
        elements=elements,
        benefit=_scale({**_table(data, "benefit"), "key": "manfaat"}, "[benefit]"),
        suggestion_label=_text(suggestion.get("label"), "[suggestion] label"),
        suggestion_help=_text(suggestion.get("help"), "[suggestion] help"),
        suggestion_max_chars=max_chars,
        profile=profile,
        contact_label=_text(contact.get("label"), "[contact] label"),
        contact_consent=_text(contact.get("consent"), "[contact] consent"),
    )
