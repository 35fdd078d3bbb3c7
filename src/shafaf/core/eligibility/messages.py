"""Candidate-facing sentences for every eligibility reason code, in English and Urdu.

One template per code with named ``{placeholders}``. The scalar path renders them with ``str.format``; the batch
path turns the same template into a vectorised ``pl.format`` — so both produce the same bytes (a property test
holds them equal).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from shafaf.core.reasons import ParamValue, Reason

EN: dict[str, str] = {
    "AGE_OK": "Your age on {ref} was {age}, within the limits of {lower} to {upper} years{basis}.",
    "AGE_BELOW_MIN": "Your age on {ref} was {age}; the minimum age for this post is {lower} years.",
    "AGE_ABOVE_MAX": "Your age on {ref} was {age}; your upper age limit is {upper} years{basis}: over age by {over}.",
    "DOB_ASSUMED": "Your date of birth gives no {missing}, so by rule it is taken as {assumed}.",
    "RELAXATION_NOT_APPLICABLE": "The age relaxation you claimed ({claim}) was not applied: {why}.",
    "DOMICILE_OK": "Your domicile district {district} is accepted for this post.",
    "DOMICILE_OUTSIDE_PROVINCE": (
        "Your domicile district {district} is not in {province}; this post is for domicile holders of {province}."
    ),
    "DOMICILE_OUTSIDE_RESTRICTION": (
        "This post is only for domicile holders of {allowed}; your domicile district is {district}."
    ),
    "QUAL_OK": "Your {degree} ({percent}%, {date}) meets the essential qualification.",
    "QUAL_MISSING": "The essential qualification is {required}; it is not among your qualifications{note}.",
    "QUAL_RESULT_AWAITED": (
        "Your {degree} result was awaited on {ref}; a result not declared by then does not qualify."
    ),
    "QUAL_AFTER_REFERENCE": "Your {degree} result is dated {date}, after {ref}; it does not count for this post.",
    "QUAL_BELOW_MIN_PERCENT": "Your {degree} marks are {percent}%; the minimum for this post is {min}%.",
    "QUAL_WRONG_DISCIPLINE": "Your {degree} is in {discipline}; this post requires {required}.",
    "EXPERIENCE_OK": "You have {days} days of counted experience; {required} days are required.",
    "EXPERIENCE_SHORT": (
        "You have {days} days of counted experience after your qualification up to {ref}; "
        "{required} days ({years} year(s)) are required."
    ),
    "GENDER_OK": "This post is open to your gender.",
    "GENDER_RESTRICTED": "This post is open to {allowed} candidates only.",
}

UR: dict[str, str] = {
    "AGE_OK": "{ref} کو آپ کی عمر {age} تھی، جو {lower} سے {upper} سال کی حد کے اندر ہے۔",
    "AGE_BELOW_MIN": "{ref} کو آپ کی عمر {age} تھی؛ اس آسامی کے لیے کم از کم عمر {lower} سال ہے۔",
    "AGE_ABOVE_MAX": "{ref} کو آپ کی عمر {age} تھی؛ آپ کے لیے عمر کی بالائی حد {upper} سال ہے؛ آپ {over} زائد العمر ہیں۔",
    "DOB_ASSUMED": "آپ کی تاریخ پیدائش نامکمل ہے، اس لیے قاعدے کے مطابق {assumed} مانی گئی ہے۔",
    "RELAXATION_NOT_APPLICABLE": "عمر میں رعایت ({claim}) لاگو نہیں ہوئی: {why}۔",
    "DOMICILE_OK": "آپ کا ڈومیسائل ضلع {district} اس آسامی کے لیے قابل قبول ہے۔",
    "DOMICILE_OUTSIDE_PROVINCE": "آپ کا ڈومیسائل ضلع {district} صوبہ {province} میں نہیں ہے۔",
    "DOMICILE_OUTSIDE_RESTRICTION": "یہ آسامی صرف {allowed} کے ڈومیسائل رکھنے والوں کے لیے ہے؛ آپ کا ضلع {district} ہے۔",
    "QUAL_OK": "آپ کی {degree} ({percent}%) لازمی تعلیمی قابلیت پر پوری اترتی ہے۔",
    "QUAL_MISSING": "لازمی تعلیمی قابلیت {required} ہے؛ یہ آپ کی قابلیتوں میں شامل نہیں۔",
    "QUAL_RESULT_AWAITED": "{ref} تک آپ کی {degree} کا نتیجہ نہیں آیا تھا؛ اس لیے یہ قابل قبول نہیں۔",
    "QUAL_AFTER_REFERENCE": "آپ کی {degree} کا نتیجہ {date} کا ہے جو {ref} کے بعد ہے۔",
    "QUAL_BELOW_MIN_PERCENT": "آپ کی {degree} میں {percent}% نمبر ہیں؛ کم از کم {min}% درکار ہیں۔",
    "QUAL_WRONG_DISCIPLINE": "آپ کی {degree} کا مضمون {discipline} ہے؛ اس آسامی کے لیے {required} درکار ہے۔",
    "EXPERIENCE_OK": "آپ کا قابل شمار تجربہ {days} دن ہے؛ {required} دن درکار ہیں۔",
    "EXPERIENCE_SHORT": "آپ کا قابل شمار تجربہ {days} دن ہے؛ {required} دن ({years} سال) درکار ہیں۔",
    "GENDER_OK": "یہ آسامی آپ کی صنف کے لیے کھلی ہے۔",
    "GENDER_RESTRICTED": "یہ آسامی صرف {allowed} امیدواروں کے لیے ہے۔",
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def reason(code: str, **params: ParamValue) -> Reason:
    """Build a :class:`Reason` with both sentences rendered from ``params``."""
    shown = {k: "" if v is None else str(v) for k, v in params.items()}
    return Reason(
        code=code, params=params, text_en=EN[code].format(**shown), text_ur=UR[code].format(**shown)
    )


def format_expr(code: str, params: Mapping[str, pl.Expr]) -> pl.Expr:
    """The vectorised English sentence of ``code``; each placeholder's value is a String expression."""
    template = EN[code]
    names = _PLACEHOLDER.findall(template)
    fmt = _PLACEHOLDER.sub("{}", template)
    return pl.format(fmt, *[params[n].fill_null("") for n in names])
