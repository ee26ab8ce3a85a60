"""Small raw-XML helpers for what python-docx has no API for.

Every insertion goes through python-docx's own element classes or
`get_or_add_*`, so child order stays as the schema demands (Word refuses a file
whose pPr/rPr children are out of order; LibreOffice silently ignores them).
"""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# rPr / pPr children in schema order (ECMA-376 CT_RPr, CT_PPrBase), for inserting
# elements python-docx does not model.
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)


# CT_Settings children in schema order (the ones a document may carry; a few
# namespaced extras at the end are left out).
_SETTINGS_ORDER = tuple("w:" + t for t in (
    "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
    "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
    "embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate linkStyles "
    "stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView trackRevisions "
    "doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride styleLockTheme "
    "styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone "
    "doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders "
    "bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
    "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
    "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture "
    "doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
    "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids"
).split())


def set_setting(settings, tag: str, **attrs: str):
    """Add or replace a document setting (settings.xml) in schema order."""
    order = _SETTINGS_ORDER + ("w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping")
    return set_child(settings, tag, order, **attrs)


def set_child(parent, tag: str, order: tuple[str, ...], **attrs: str):
    """Replace (or add) parent's child `tag` with the given w: attributes, in schema order."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    later = order[order.index(tag) + 1:]
    anchor = next((c for c in parent if c.tag in {qn(t) for t in later}), None)
    if anchor is not None:
        anchor.addprevious(el)
    else:
        parent.append(el)
    return el


def set_rpr(rpr, tag: str, **attrs: str):
    return set_child(rpr, tag, _RPR_ORDER, **attrs)


def set_ppr(ppr, tag: str, **attrs: str):
    return set_child(ppr, tag, _PPR_ORDER, **attrs)


def set_fonts(rpr, east_asia: str, latin: str) -> None:
    """Write all four font slots and drop theme attributes, which would win over the names."""
    set_rpr(rpr, "w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin)


def set_size(rpr, points: float) -> None:
    half = str(round(points * 2))
    set_rpr(rpr, "w:sz", val=half)
    set_rpr(rpr, "w:szCs", val=half)


def _run_with(paragraph, child):
    r = OxmlElement("w:r")
    r.append(child)
    paragraph._p.append(r)
    return r


def field_begin(paragraph, instruction: str) -> None:
    """fldChar begin + instruction + separate: what follows is the field's cached result."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    _run_with(paragraph, begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run_with(paragraph, instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    _run_with(paragraph, sep)


def field_end(paragraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    _run_with(paragraph, end)


def add_field(paragraph, instruction: str, placeholder: str = "1"):
    """A complex field (PAGE …) as fldChar runs, the form Word, WPS and LibreOffice all read."""
    field_begin(paragraph, instruction)
    text = OxmlElement("w:t")
    text.text = placeholder
    _run_with(paragraph, text)
    field_end(paragraph)
