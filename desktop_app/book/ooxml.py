"""Small raw-XML helpers for what python-docx has no API for.

Every insertion goes through python-docx's own element classes or
`get_or_add_*`, so child order stays as the schema demands (Word refuses a file
whose pPr/rPr children are out of order; LibreOffice silently ignores them).
"""
from __future__ import annotations

import datetime
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn

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


# the package ------------------------------------------------------------------------------
#: Parts of python-docx's template (a 2013 Macintosh Word file) that a new document has no use
#: for and Word finds contradicting it: a blank thumbnail, stylesWithEffects.xml (other
#: docDefaults, none of the document's styles), an empty bibliography part.
_DROPPED_PACKAGE_RELS = frozenset({"thumbnail"})
_DROPPED_DOCUMENT_RELS = frozenset({"stylesWithEffects", "customXml"})
_FONT_TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"


def modern_package(doc, *, title: str, author: str, latin: str, chinese: tuple[str, ...],
                   when: datetime.datetime | None = None) -> None:
    """Make a python-docx Document a clean file of today: core properties (title, author,
    created = modified = now), app properties naming this program and `author` as company,
    a font table of the fonts used, Word 2013+ compatibility mode, and none of the template's
    leftover parts — so Word opens it without offering repairs (openxml-audit: 0 errors).
    `when`: the time to record instead of now (an export pinned by its caller's clock)."""
    stamp = when or datetime.datetime.now(datetime.timezone.utc)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(datetime.timezone.utc)
    now = stamp.replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.comments = ""
    props.created = props.modified = now
    props.revision = 1
    package, main = doc.part.package, doc.part
    for rels, dropped in ((package.rels, _DROPPED_PACKAGE_RELS), (main.rels, _DROPPED_DOCUMENT_RELS)):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.rsplit("/", 1)[-1] in dropped]:
            rels.pop(rid)
    app = next(r.target_part for r in package.rels.values() if r.reltype.endswith("/extended-properties"))
    app._blob = _app_xml(author).encode("utf-8")
    entries = [f'<w:font w:name="{escape(latin)}"><w:charset w:val="00"/><w:family w:val="roman"/>'
               f'<w:pitch w:val="variable"/></w:font>']
    entries += [f'<w:font w:name="{escape(name)}"><w:charset w:val="86"/><w:family w:val="modern"/>'
                f'<w:pitch w:val="fixed"/></w:font>' for name in dict.fromkeys(chinese) if name != latin]
    main.part_related_by(_FONT_TABLE_REL)._blob = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {nsdecls("w")}>'
        f'{"".join(entries)}</w:fonts>').encode()
    for compat in doc.settings.element.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")


def _app_xml(company: str) -> str:
    """docProps/app.xml of a document written today (not the template's Macintosh Word 2011)."""
    from desktop_app import __version__ as version

    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Template>Normal.dotm</Template><Application>专利转化申报助手 {escape(str(version))}</Application>"
            f"<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><Company>{escape(company)}</Company>"
            "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>")
