"""Payloads of the QR codes in an image, decoded with zxing-cpp.

Spam moves its links into QR codes so that text filters never see them; the decoded
payloads go back into the pipeline as text, where the link and contact detectors look
at them like any other text. zxing-cpp was chosen over OpenCV's QR detector (which
RapidOCR brings along) because it finds several codes in one image, where OpenCV's
single-code search finds none, and it was 30-60 times faster on chat screenshots
(a few milliseconds each).
"""

from __future__ import annotations

from typing import Final

import zxingcpp
from PIL import Image

from jingwang.adapters.images.scaling import shrink

# Bounds the search on large photos; a code a tenth of the width of a 1600 px image still
# has modules several pixels wide.
QR_MAX_SIDE: Final = 1600
# Plain QR codes and their Micro and rectangular variants; no other barcode carries links.
_QR_FORMATS: Final = zxingcpp.BarcodeFormats(
    [
        zxingcpp.BarcodeFormat.QRCode,
        zxingcpp.BarcodeFormat.MicroQRCode,
        zxingcpp.BarcodeFormat.RMQRCode,
    ]
)


def read_qr_codes(image: Image.Image) -> list[str]:
    """The non-empty payloads of the QR codes in ``image``, in detection order, once each."""
    scaled, _factor = shrink(image, QR_MAX_SIDE)
    codes = zxingcpp.read_barcodes(scaled.convert("L"), formats=_QR_FORMATS)
    return list(dict.fromkeys(code.text for code in codes if code.valid and code.text))
