"""分工: send chosen parts or measures of a draft to a department as a Word work package,
and take the edited text back (收回), part by part, never over an edit made meanwhile.

records: what can be sent (units and their text fields), the 分工 records kept with the
         draft (`assignments`), comparing what came back with the draft, applying it.
package: the .docx work package, written and read back (Word, WPS, LibreOffice re-saves).
marks:   the changes between two texts, marked for the side-by-side view.

No Qt here: the window and the tests call the same functions.
"""
