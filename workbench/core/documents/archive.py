"""Opening the ZIP container of a DOCX or ODT file safely.

A document is untrusted input: a "zip bomb" (a small file that inflates to
gigabytes) or an absurd number of members must be refused from the archive's
directory, before anything is decompressed.  ``zipfile`` reports each
member's declared sizes; a member that inflates past its declared size is
stopped by ``zipfile`` itself (it checks the CRC and the length as it reads).
"""
from __future__ import annotations

import io
import zipfile

from workbench.core.documents.registry import OLE2_MAGIC
from workbench.core.errors import BadInputError

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024      # one part, inflated
MAX_TOTAL_BYTES = 512 * 1024 * 1024       # all parts, inflated
MAX_RATIO = 200                            # inflated / compressed, for parts over 1 MiB
_RATIO_FLOOR = 1024 * 1024


def open_zip(data: bytes, name: str, what: str, required: tuple[str, ...]) -> zipfile.ZipFile:
    """The ZIP archive of an office document, checked before anything is inflated.

    :param data: the file's bytes.
    :param name: the file's name, for messages.
    :param what: what the file should be ("a Word document (DOCX)").
    :param required: members it must hold (``word/document.xml``).
    Raises BadInputError for an encrypted file, a file that is not a ZIP, a
    damaged ZIP, a missing part, and an archive too big once inflated.
    """
    if not data:
        raise BadInputError(f"{name} is empty")
    if data.startswith(OLE2_MAGIC):
        raise BadInputError(f"{name} is password-protected (encrypted) or an old binary Office file, "
                            f"not {what}: save it without a password as {what} and import it again")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise BadInputError(f"{name} is damaged or not {what}: it is not a readable ZIP archive") from None
    if len(members) > MAX_MEMBERS:
        raise BadInputError(f"{name} holds {len(members):,} parts, more than {what} ever has "
                            f"({MAX_MEMBERS:,}): refused")
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or (
                size > _RATIO_FLOOR and size > MAX_RATIO * max(member.compress_size, 1)):
            raise BadInputError(f"{name}: its part {member.filename} would inflate to "
                                f"{size / 1048576:,.0f} MB ({what} never does; a 'zip bomb'): refused")
    present = {member.filename for member in members}
    for part in required:
        if part not in present:
            raise BadInputError(f"{name} is damaged or not {what}: it has no {part}")
    return archive


def load_package(loader, data: bytes, name: str, what: str):
    """``loader(file object)`` over a checked archive's bytes; whatever the
    library raises on a broken package (python-docx and odfpy raise many
    kinds) becomes one BadInputError line naming the file.

    :param loader: the library's load function (``docx.Document``, ``odf.opendocument.load``).
    :param data: the file's bytes (already checked by ``open_zip``).
    :param name: the file's name, for messages.
    :param what: what the file should be."""
    try:
        return loader(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - libraries raise many kinds on a broken package
        detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise BadInputError(f"{name} is damaged or not {what}: {detail}") from None


def read_member(archive: zipfile.ZipFile, part: str, name: str, what: str) -> bytes:
    """One member of a checked archive, inflated.

    :param archive: as ``open_zip`` returned it.
    :param part: the member's name.
    :param name: the file's name, for messages.
    :param what: what the file should be."""
    try:
        return archive.read(part)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as error:
        raise BadInputError(f"{name} is damaged: its part {part} cannot be read ({error})") from None
