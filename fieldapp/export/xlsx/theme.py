"""The workbook's theme part (``xl/theme/theme1.xml``): Office's default colours and fonts.

Excel writes one into every workbook; LibreOffice resolves chart and cell colours through it,
so a package without a theme renders theme-coloured parts (such as chart series without an
explicit fill) as nothing. Minor font: Calibri, with the usual Korean, Chinese and Japanese
faces for East Asian text.
"""

from __future__ import annotations

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"

_COLOURS = (("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
            ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
            ("dk2", '<a:srgbClr val="44546A"/>'), ("lt2", '<a:srgbClr val="E7E6E6"/>'),
            ("accent1", '<a:srgbClr val="4472C4"/>'), ("accent2", '<a:srgbClr val="ED7D31"/>'),
            ("accent3", '<a:srgbClr val="A5A5A5"/>'), ("accent4", '<a:srgbClr val="FFC000"/>'),
            ("accent5", '<a:srgbClr val="5B9BD5"/>'), ("accent6", '<a:srgbClr val="70AD47"/>'),
            ("hlink", '<a:srgbClr val="0563C1"/>'), ("folHlink", '<a:srgbClr val="954F72"/>'))


def _font(kind: str, latin: str) -> str:
    return (f"<a:{kind}><a:latin typeface=\"{latin}\"/><a:ea typeface=\"\"/>"
            '<a:cs typeface=""/><a:font script="Hang" typeface="맑은 고딕"/>'
            '<a:font script="Hans" typeface="等线"/><a:font script="Jpan" typeface="游ゴシック"/>'
            f"</a:{kind}>")


_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_LINE = ('<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr '
         'val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>')

THEME = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<a:theme xmlns:a="{_A}" name="Office Theme"><a:themeElements>'
    '<a:clrScheme name="Office">'
    + "".join(f"<a:{name}>{value}</a:{name}>" for name, value in _COLOURS)
    + '</a:clrScheme><a:fontScheme name="Office">' + _font("majorFont", "Calibri Light")
    + _font("minorFont", "Calibri") + '</a:fontScheme><a:fmtScheme name="Office">'
    "<a:fillStyleLst>" + _FILL * 3 + "</a:fillStyleLst>"
    "<a:lnStyleLst>" + "".join(_LINE.format(w=w) for w in (6350, 12700, 19050))
    + "</a:lnStyleLst><a:effectStyleLst>" + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    + "</a:effectStyleLst><a:bgFillStyleLst>" + _FILL * 3 + "</a:bgFillStyleLst>"
    "</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")
