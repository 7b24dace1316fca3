"""Native Excel clustered bar charts (DrawingML) over cells of a sheet, with cached values.

Every series has an explicit solid fill (LibreOffice draws series without one as empty bars
when the workbook has no theme) and the chart has a fixed size in centimetres, anchored at a
cell, so it keeps its shape whatever the column widths.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.export.xlsx.cells import escape, escape_attr

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"


#: Series fills (RGB): distinct in colour and in grey print; never the axis/gridline grey.
PALETTE = ("2F5597", "C55A11", "548235", "7030A0", "BF9000", "1F9FB4", "C00000", "404040")
#: The plot area's background (Office's "background, 5 % darker"): a faint box the bars stand in.
PLOT_FILL = "F2F2F2"
_EMU_PER_CM = 360_000
_TEXT_9PT = ('<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"/></a:pPr>'
             '<a:endParaRPr lang="en-US"/></a:p></c:txPr>')
#: category labels horizontal (wrapped), never rotated or stacked
_TEXT_9PT_FLAT = _TEXT_9PT.replace("<a:bodyPr/>", '<a:bodyPr rot="0" vert="horz"/>')


@dataclass(frozen=True)
class Series:
    """One bar series: its name cell and its values (a column range), with cached values."""

    name: str
    name_cell: tuple[int, int]  # (row, col), 1-based
    first: tuple[int, int]
    values: tuple[float | None, ...]
    color: str = PALETTE[0]


@dataclass(frozen=True)
class BarChart:
    """Categories in one column, one series per compared group; anchored at (row, col)."""

    title: str
    categories: tuple[str, ...]
    category_first: tuple[int, int]
    series: tuple[Series, ...]
    anchor: tuple[int, int]
    size_cm: tuple[float, float] = (13.0, 9.5)  # width × height
    y_max: float | None = 100


def col_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _ref(sheet: str, first: tuple[int, int], count: int) -> str:
    row, col = first
    letter = col_letter(col)
    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!${letter}${row}:${letter}${row + count - 1}"


def _str_cache(values: tuple[str, ...]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(v)}</c:v></c:pt>'
                     for i, v in enumerate(values))
    return f'<c:strCache><c:ptCount val="{len(values)}"/>{points}</c:strCache>'


def _num_cache(values: tuple[float | None, ...]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{v!r}</c:v></c:pt>'
                     for i, v in enumerate(values) if v is not None)
    return (f'<c:numCache><c:formatCode>0.0</c:formatCode><c:ptCount val="{len(values)}"/>'
            f"{points}</c:numCache>")


def chart_xml(chart: BarChart, sheet: str) -> str:
    """The chart part."""
    n = len(chart.categories)
    series = []
    for i, s in enumerate(chart.series):
        series.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
            f"<c:tx><c:strRef><c:f>{escape(_ref(sheet, s.name_cell, 1).rsplit(':', 1)[0])}"
            f"</c:f>{_str_cache((s.name,))}</c:strRef></c:tx>"
            f'<c:spPr><a:solidFill><a:srgbClr val="{s.color}"/></a:solidFill>'
            f'<a:ln><a:noFill/></a:ln></c:spPr><c:invertIfNegative val="0"/>'
            f"<c:cat><c:strRef><c:f>{escape(_ref(sheet, chart.category_first, n))}</c:f>"
            f"{_str_cache(chart.categories)}</c:strRef></c:cat>"
            f"<c:val><c:numRef><c:f>{escape(_ref(sheet, s.first, n))}</c:f>"
            f"{_num_cache(s.values)}</c:numRef></c:val></c:ser>")
    y_max = f'<c:max val="{chart.y_max}"/>' if chart.y_max is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}">'
        '<c:roundedCorners val="0"/><c:chart>'
        '<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="en-US" sz="1200" b="1"/><a:t>{escape(chart.title)}</a:t></a:r>'
        '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        '<c:plotArea><c:layout/><c:barChart><c:barDir val="col"/>'
        '<c:grouping val="clustered"/><c:varyColors val="0"/>'
        + "".join(series) +
        '<c:gapWidth val="150"/><c:axId val="50010001"/><c:axId val="50010002"/></c:barChart>'
        '<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        f'<c:tickLblPos val="nextTo"/>{_TEXT_9PT_FLAT}<c:crossAx val="50010002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/>'
        f'{y_max}<c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="l"/>'
        '<c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D9D9D9"/>'
        '</a:solidFill></a:ln></c:spPr></c:majorGridlines>'
        '<c:numFmt formatCode="0" sourceLinked="0"/>'
        f'<c:tickLblPos val="nextTo"/>{_TEXT_9PT}<c:crossAx val="50010001"/>'
        '<c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{PLOT_FILL}"/></a:solidFill></c:spPr>'
        '</c:plotArea>'
        f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/>{_TEXT_9PT}</c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>')


def drawing_xml(charts: list[BarChart]) -> str:
    """The drawing part placing ``charts`` (relationship ids rId1…)."""
    anchors = []
    for i, chart in enumerate(charts, start=1):
        row, col = chart.anchor
        width = round(chart.size_cm[0] * _EMU_PER_CM)
        height = round(chart.size_cm[1] * _EMU_PER_CM)
        anchors.append(
            f"<xdr:oneCellAnchor><xdr:from><xdr:col>{col - 1}</xdr:col><xdr:colOff>0"
            f"</xdr:colOff><xdr:row>{row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f'<xdr:ext cx="{width}" cy="{height}"/>'
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
            f'<xdr:cNvPr id="{i + 1}" name="{escape_attr(chart.title)}"/>'
            "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{_C}"><c:chart xmlns:c="{_C}" '
            f'r:id="rId{i}"/></a:graphicData></a:graphic></xdr:graphicFrame>'
            "<xdr:clientData/></xdr:oneCellAnchor>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<xdr:wsDr xmlns:xdr="{_XDR}" xmlns:a="{_A}" xmlns:r="{_R}">'
            + "".join(anchors) + "</xdr:wsDr>")
