"""Attribute normalisation: from raw registration fields to the keys accounts share.

Each key is ``kind:value`` so that one dictionary indexes every kind. Values are
normalised to the granularity at which sharing means something: a /24 (IPv4) or /64
(IPv6) network rather than an address, a block of 100 consecutive phone numbers (SIM
cards are sold in such batches), a nickname with its variable part replaced by ``#``.
"""

from __future__ import annotations

import ipaddress
import re
import sys
import unicodedata
from typing import Final

from jingwang.core.graph.records import Registration

DEVICE: Final = "device"
IDENTITY: Final = "id"
PAYMENT: Final = "pay"
PHONE_BLOCK: Final = "phone"
IP: Final = "ip"
SUBNET: Final = "net"
NICK_TEMPLATE: Final = "nick"
AVATAR: Final = "avatar"
VERIFIER: Final = "vby"

TEMPLATE_SLOT: Final = "#"
PHONE_BLOCK_DROPPED_DIGITS: Final = 2
_VARIABLE_PART = re.compile(r"[0-9A-Za-z_]+")
_NOT_DIGIT = re.compile(r"\D")


def key(kind: str, value: str) -> str:
    # Interned: the same key string is shared by the index and every account holding it.
    return sys.intern(f"{kind}:{value}")


def kind_of(attribute_key: str) -> str:
    return attribute_key.partition(":")[0]


def value_of(attribute_key: str) -> str:
    return attribute_key.partition(":")[2]


def subnet(ip: str) -> str:
    """The /24 of an IPv4 address or the /64 of an IPv6 one; the input when unparseable."""
    if ":" in ip:
        try:
            network = ipaddress.IPv6Network(f"{ip}/64", strict=False)
        except ValueError:
            return ip
        return str(network)
    head, dot, _ = ip.rpartition(".")
    return f"{head}.0/24" if dot and head.count(".") == 2 else ip


def phone_block(phone: str) -> str:
    """The block of consecutive numbers a phone belongs to: ``+86 138-0013-8042`` →
    ``138001380``; the mainland country code is dropped so both spellings agree."""
    digits = _NOT_DIGIT.sub("", phone)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) <= PHONE_BLOCK_DROPPED_DIGITS:
        return digits
    return digits[:-PHONE_BLOCK_DROPPED_DIGITS]


def nickname_template(nickname: str) -> str:
    """``小美123`` → ``小美#``: runs of Latin letters and digits (after width folding)
    become one slot, which is how bulk tools number their accounts."""
    folded = unicodedata.normalize("NFKC", nickname).strip()
    return _VARIABLE_PART.sub(TEMPLATE_SLOT, folded)


def is_templated(template: str) -> bool:
    """A template with both a fixed part and a slot; ``#`` alone says nothing."""
    return TEMPLATE_SLOT in template and template.replace(TEMPLATE_SLOT, "") != ""


def avatar_bits(avatar: str) -> int | None:
    """A 64-bit perceptual hash given as 16 hex digits, or ``None``."""
    if len(avatar) != 16:
        return None
    try:
        return int(avatar, 16)
    except ValueError:
        return None


def hamming(left: int, right: int) -> int:
    return (left ^ right).bit_count()


def registration_keys(reg: Registration) -> tuple[str, ...]:
    """Every attribute key of a registration, strong kinds first."""
    keys = [key(DEVICE, reg.device), key(IDENTITY, reg.id_hash)]
    if reg.payment:
        keys.append(key(PAYMENT, reg.payment))
    if reg.verified_by:
        keys.append(key(VERIFIER, reg.verified_by))
    network = subnet(reg.ip)
    keys += [key(PHONE_BLOCK, phone_block(reg.phone)), key(IP, reg.ip), key(SUBNET, network)]
    template = nickname_template(reg.nickname)
    if is_templated(template):
        keys.append(key(NICK_TEMPLATE, template))
    if reg.avatar:
        keys.append(key(AVATAR, reg.avatar.lower()))
    return tuple(keys)
