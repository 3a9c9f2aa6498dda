"""``workbench doctor``: what this machine lacks, and the exact fix for each.

Every check is a function that returns one :class:`CheckResult` (status
``ok``/``warning``/``error``, a one-line finding and the fix) and takes what it
looks at as parameters (paths, the environment, a runner for ``ldd``), so tests
can fake a machine.  Nothing here imports Qt: the window's start-up
(``workbench.gui.first_start``) runs the Qt checks *before* PySide6 is loaded,
because a missing system library makes Qt abort with a misleading message (or
makes ``import PySide6.QtWidgets`` fail) and no Qt dialog can show it.

The database is only looked at with ``os.stat``/``os.access`` (never opened
with Python I/O: see the README on POSIX locks); the language pairs its
documents need are read through a read-only SQLite connection.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

OK, WARNING, ERROR = "ok", "warning", "error"
_RANK = {OK: 0, WARNING: 1, ERROR: 2}


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome: its id, ok/warning/error, a one-line finding and the fix."""
    check: str      # "qt-libraries", "display", "models", "database", "disk-space", "omegat", "spelling"
    status: str     # OK | WARNING | ERROR
    finding: str    # one line: what was found
    fix: str = ""   # one line: the exact command or step that fixes it ("" when ok)

    def as_dict(self) -> dict:
        """The result as a JSON-ready dict (``doctor --json``)."""
        return asdict(self)

    def line(self) -> str:
        """One line for a terminal: status, check, finding and the fix."""
        text = f"{self.status:<8}{self.check:<13}{self.finding}"
        return f"{text} — fix: {self.fix}" if self.fix and self.status != OK else text


def worst(results: Iterable[CheckResult]) -> str:
    """The most severe status among ``results`` (error > warning > ok)."""
    return max((r.status for r in results), key=_RANK.__getitem__, default=OK)


# -- system packages -------------------------------------------------------------

# Shared library (soname) -> (Debian/Ubuntu package, Fedora package).  The
# libraries Qt's xcb platform plugin and Qt's GUI libraries load from the system.
SYSTEM_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libSM.so.6": ("libsm6", "libSM"),
    "libICE.so.6": ("libice6", "libICE"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libpng16.so.16": ("libpng16-16", "libpng"),
    "libz.so.1": ("zlib1g", "zlib"),
}
# Libraries that come with PySide6 itself: missing means a broken install, not a system package.
_BUNDLED = re.compile(r"^lib(Qt6|pyside6|shiboken6|icu)")


def read_os_release(path: str | Path = "/etc/os-release") -> dict[str, str]:
    """The fields of ``/etc/os-release`` (empty when it cannot be read): which package names to suggest."""
    info: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return info
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            info[key.strip()] = value.strip().strip('"\'')
    return info


def _family(os_release: Mapping[str, str]) -> str | None:
    """"debian" (Debian, Ubuntu, Mint...), "fedora" (Fedora, RHEL...) or None."""
    ids = {os_release.get("ID", "").lower(), *os_release.get("ID_LIKE", "").lower().split()}
    if ids & {"debian", "ubuntu"}:
        return "debian"
    if ids & {"fedora", "rhel", "centos"}:
        return "fedora"
    return None


def _debian_name(package: str, os_release: Mapping[str, str]) -> str:
    """Debian 13 and Ubuntu 24.04 renamed a few libraries for 64-bit time."""
    if package == "libglib2.0-0":
        distro, version = os_release.get("ID", ""), os_release.get("VERSION_ID", "")
        try:
            number = float(version)
        except ValueError:
            number = 0.0
        if (distro == "debian" and number >= 13) or (distro == "ubuntu" and number >= 24.04):
            return "libglib2.0-0t64"
    return package


def install_command(debian: Sequence[str], fedora: Sequence[str],
                    os_release: Mapping[str, str] | None = None) -> str:
    """The install command for this system (both when the system is not known)."""
    os_release = read_os_release() if os_release is None else os_release
    deb = " ".join(dict.fromkeys(_debian_name(p, os_release) for p in debian))
    fed = " ".join(dict.fromkeys(fedora))
    family = _family(os_release)
    if family == "debian":
        return f"sudo apt-get install {deb}"
    if family == "fedora":
        return f"sudo dnf install {fed}"
    return f"sudo apt-get install {deb} (Debian/Ubuntu) or sudo dnf install {fed} (Fedora)"


# -- Qt ------------------------------------------------------------------------------

def qt_plugin_files(pyside_dir: str | Path | None = None) -> list[Path]:
    """The xcb platform plugin and its Qt library, where they exist."""
    if pyside_dir is None:
        pyside_dir = _pyside_dir()
        if pyside_dir is None:
            return []
    root = Path(pyside_dir)
    candidates = [root / "Qt" / "plugins" / "platforms" / "libqxcb.so",
                  root / "Qt" / "lib" / "libQt6XcbQpa.so.6"]
    return [p for p in candidates if p.is_file()]


def _pyside_dir() -> Path | None:
    """PySide6's folder, found without importing it (importing may fail on a missing library)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    frozen = getattr(sys, "_MEIPASS", None)  # a standalone bundle
    if frozen and (Path(frozen) / "PySide6").is_dir():
        return Path(frozen) / "PySide6"
    return None


def run_ldd(path: Path, library_path: Sequence[Path] = ()) -> str:
    """``ldd PATH``'s output (the Qt library folder first on the search path, as Qt's RUNPATH has it)."""
    env = dict(os.environ)
    if library_path:
        env["LD_LIBRARY_PATH"] = os.pathsep.join(
            [str(p) for p in library_path] + ([env["LD_LIBRARY_PATH"]] if env.get("LD_LIBRARY_PATH") else []))
    result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=30, env=env)
    return result.stdout + result.stderr


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` reports as ``not found``, in order."""
    found = []
    for line in ldd_output.splitlines():
        match = re.match(r"^\s*(\S+)\s*=>\s*not found", line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def check_qt_libraries(*, plugin_files: Sequence[Path] | None = None,
                       ldd: Callable[[Path], str] | None = None,
                       environ: Mapping[str, str] | None = None,
                       platform: str | None = None,
                       os_release: Mapping[str, str] | None = None) -> CheckResult:
    """Does Qt's xcb platform plugin (the window on X11) find every library it needs?"""
    name = "qt-libraries"
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return CheckResult(name, OK, f"nothing to check on {platform} (Qt brings its own platform plugin)")
    files = qt_plugin_files() if plugin_files is None else list(plugin_files)
    if not files:
        return CheckResult(name, ERROR, "PySide6's xcb platform plugin (libqxcb.so) was not found",
                           "reinstall the workbench (pip install --force-reinstall PySide6-Essentials)")
    if ldd is None:
        if shutil.which("ldd") is None:
            return CheckResult(name, WARNING, "cannot check Qt's libraries: ldd is not installed",
                               install_command(["libc-bin"], ["glibc-common"], os_release))
        qt_lib = files[0].parent.parent.parent / "lib" if files[0].name == "libqxcb.so" else files[0].parent
        frozen = [Path(sys._MEIPASS)] if getattr(sys, "_MEIPASS", None) else []

        def ldd(path: Path) -> str:
            return run_ldd(path, [qt_lib, *frozen])
    missing: list[str] = []
    for path in files:
        try:
            output = ldd(path)
        except (OSError, subprocess.SubprocessError) as exc:
            return CheckResult(name, WARNING, f"cannot check Qt's libraries: ldd {path.name} failed ({exc})",
                               "run workbench-gui and read Qt's message")
        missing += [lib for lib in missing_libraries(output) if lib not in missing]
    if not missing:
        return CheckResult(name, OK, "Qt's xcb platform plugin finds all its libraries")
    # Without a screen (offscreen) or on Wayland the window does not need the xcb plugin.
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    status = ERROR if qpa in ("", "xcb") else WARNING
    bundled = [lib for lib in missing if _BUNDLED.match(lib)]
    if bundled:
        return CheckResult(name, status, f"Qt's own libraries are missing: {', '.join(bundled)}",
                           "reinstall the workbench (pip install --force-reinstall PySide6-Essentials)")
    known = [lib for lib in missing if lib in SYSTEM_LIBRARIES]
    unknown = [lib for lib in missing if lib not in SYSTEM_LIBRARIES]
    fixes = []
    if known:
        fixes.append(install_command([SYSTEM_LIBRARIES[lib][0] for lib in known],
                                     [SYSTEM_LIBRARIES[lib][1] for lib in known], os_release))
    if unknown:
        fixes.append("install the packages that provide " + ", ".join(unknown)
                     + " (apt-file search NAME, or dnf provides '*/NAME')")
    where = "" if status == ERROR else f" (not needed now: QT_QPA_PLATFORM={qpa})"
    return CheckResult(name, status,
                       f"the window cannot start on X11: Qt's xcb platform plugin needs {', '.join(missing)}{where}",
                       "; ".join(fixes))


def check_display(*, environ: Mapping[str, str] | None = None, platform: str | None = None) -> CheckResult:
    """Is there a screen for the window?  (Commands work without one.)"""
    name = "display"
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return CheckResult(name, OK, f"{platform} has its own display")
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if qpa in ("offscreen", "minimal", "vnc"):
        return CheckResult(name, OK, f"QT_QPA_PLATFORM={qpa}: the window runs without a screen")
    if qpa == "xcb" and not environ.get("DISPLAY"):
        return CheckResult(name, WARNING, "QT_QPA_PLATFORM=xcb but DISPLAY is not set: the window cannot open "
                           "(commands work)", "run it in your desktop session, or set DISPLAY (e.g. DISPLAY=:0)")
    if qpa == "wayland" and not environ.get("WAYLAND_DISPLAY"):
        return CheckResult(name, WARNING, "QT_QPA_PLATFORM=wayland but WAYLAND_DISPLAY is not set: the window "
                           "cannot open (commands work)", "run it in your desktop session")
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        shown = [f"{key}={environ[key]}" for key in ("DISPLAY", "WAYLAND_DISPLAY") if environ.get(key)]
        return CheckResult(name, OK, "display: " + ", ".join(shown))
    return CheckResult(name, WARNING, "no display (DISPLAY and WAYLAND_DISPLAY are not set): the window cannot "
                       "open here (commands work)",
                       "run workbench-gui in a desktop session, or ssh -X; QT_QPA_PLATFORM=offscreen runs it "
                       "without a screen")


# -- models ----------------------------------------------------------------------------

def document_pairs(db_path: str | Path) -> list[tuple[str, str, int]]:
    """(language, target language, documents) the database's documents are translated in.

    :param db_path: the database; read through a read-only SQLite connection
        (the store's), and a missing or unreadable one gives no pairs (the
        database check reports it)."""
    from workbench.core.store.documents import translation_directions

    return translation_directions(db_path)


def check_models(*, packages_dir: str | Path | None = None,
                 pairs: Sequence[tuple[str, str, int]] = ()) -> CheckResult:
    """Installed translation models, and the pairs the documents need that have none."""
    from workbench.core.errors import WorkbenchError
    from workbench.core.mt.packages import find_pair, list_installed
    from workbench.core.mt.packages import packages_dir as default_packages_dir

    name = "models"
    where = Path(packages_dir) if packages_dir is not None else default_packages_dir()
    installed = list_installed(where)
    lacking = []
    for source, target, count in pairs:
        try:
            find_pair(source, target, where)
        except WorkbenchError:
            lacking.append((source, target, count))
    if lacking:
        shown = ", ".join(f"{s}→{t} ({n} document{'s' if n != 1 else ''})" for s, t, n in lacking)
        s, t, _ = lacking[0]
        return CheckResult(name, WARNING, f"no model for {shown}: Translate cannot run for them",
                           f"workbench models install {s} {t} (online), or workbench models install "
                           f"FILE.argosmodel")
    if not installed:
        return CheckResult(name, WARNING, f"no translation model installed (in {where}): Translate is unavailable",
                           "workbench models install en ru (online), or workbench models install "
                           "FILE.argosmodel")
    listed = ", ".join(f"{p.pair} {p.package_version}" for p in installed)
    return CheckResult(name, OK, f"{len(installed)} model{'s' if len(installed) != 1 else ''}: {listed}")


# -- files -------------------------------------------------------------------------------

def _existing_ancestor(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def check_database(db_path: str | Path, *, access: Callable[[str, int], bool] = os.access) -> CheckResult:
    """Can the database (and the -wal/-shm/backups next to it) be written?  stat and access only."""
    name = "database"
    path = Path(db_path).expanduser()
    other = "choose another file: workbench --db PATH (or WORKBENCH_DB=PATH)"
    if path.exists() and not path.is_file():
        return CheckResult(name, ERROR, f"{path} is not a file", f"move it away, or {other}")
    if path.is_file():
        if not access(str(path), os.W_OK):
            return CheckResult(name, ERROR, f"{path} cannot be written: the workbench opens it read-only",
                               f"chmod u+w '{path}' (as its owner), or {other}")
        if not access(str(path.parent), os.W_OK | os.X_OK):
            return CheckResult(name, ERROR, f"the folder {path.parent} cannot be written (SQLite makes its "
                               f"-wal/-shm and the backups there): the workbench opens {path.name} read-only",
                               f"chmod u+w '{path.parent}' (as its owner), or {other}")
        size = path.stat().st_size
        return CheckResult(name, OK, f"{path} can be written ({size / 1e6:.1f} MB)")
    ancestor = _existing_ancestor(path.parent)
    if not ancestor.is_dir():
        return CheckResult(name, ERROR, f"{path} cannot be created: {ancestor} is not a folder", other)
    if not access(str(ancestor), os.W_OK | os.X_OK):
        return CheckResult(name, ERROR, f"{path} cannot be created: {ancestor} cannot be written",
                           f"chmod u+w '{ancestor}' (as its owner), or {other}")
    return CheckResult(name, OK, f"{path} does not exist yet; it will be created at the first import")


def check_disk_space(folders: Sequence[str | Path], *,
                     disk_usage: Callable[[str], object] = shutil.disk_usage,
                     low: int = 1024**3, critical: int = 100 * 1024**2) -> CheckResult:
    """Free space where the database (with its backups) and the models are kept."""
    name = "disk-space"
    seen: dict[int, tuple[Path, int]] = {}
    for folder in folders:
        where = _existing_ancestor(Path(folder).expanduser())
        try:
            free = int(disk_usage(str(where)).free)
        except OSError:
            continue
        seen.setdefault(where.stat().st_dev, (where, free))  # one line per file system
    if not seen:
        return CheckResult(name, WARNING, "free disk space could not be measured", "df -h")
    where, free = min(seen.values(), key=lambda item: item[1])
    text = f"{free / 1024**3:.1f} GiB free in {where}" if free >= 1024**3 else f"{free / 1024**2:.0f} MiB free in {where}"
    fix = f"free space in {where} (the database, its backups and the models live there), or use --db elsewhere"
    if free < critical:
        return CheckResult(name, ERROR, f"only {text}: imports, backups and model installs will fail", fix)
    if free < low:
        return CheckResult(name, WARNING, f"only {text}: backups and a model (100-300 MB) may not fit", fix)
    return CheckResult(name, OK, text)


# -- optional peers ------------------------------------------------------------------------

def check_omegat(*, which: Callable[[str], str | None] = shutil.which,
                 os_release: Mapping[str, str] | None = None) -> CheckResult:
    """OmegaT is optional: a CAT tool that uses the exported TMX as its translation memory."""
    name = "omegat"
    found = which("omegat")
    if found:
        return CheckResult(name, OK, f"OmegaT (optional) found: {found}")
    os_release = read_os_release() if os_release is None else os_release
    fix = ("sudo apt-get install omegat" if _family(os_release) == "debian"
           else "install OmegaT (Debian/Ubuntu: sudo apt-get install omegat; elsewhere OmegaT's own installer)")
    return CheckResult(name, WARNING, "OmegaT (optional) is not installed: exported TMX files work in any CAT "
                       "tool; OmegaT is the one the workbench is tested with", fix)


HUNSPELL_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")
# Dictionary name -> (Debian/Ubuntu package, Fedora package).
HUNSPELL_DICTIONARIES = {"en_US": ("hunspell-en-us", "hunspell-en-US"), "ru_RU": ("hunspell-ru", "hunspell-ru")}


def check_spelling(*, dirs: Sequence[str | Path] = HUNSPELL_DIRS,
                   dictionaries: Mapping[str, tuple[str, str]] | None = None,
                   platform: str | None = None, os_release: Mapping[str, str] | None = None) -> CheckResult:
    """Hunspell dictionaries for the optional spelling check (English and Russian)."""
    name = "spelling"
    platform = sys.platform if platform is None else platform
    dictionaries = HUNSPELL_DICTIONARIES if dictionaries is None else dictionaries
    if not platform.startswith("linux"):
        return CheckResult(name, OK, f"not checked on {platform}")
    missing = [d for d in dictionaries if not any((Path(folder) / f"{d}.dic").is_file() for folder in dirs)]
    if not missing:
        return CheckResult(name, OK, "hunspell dictionaries (optional): " + ", ".join(dictionaries))
    return CheckResult(name, WARNING, f"hunspell dictionaries (optional, for spelling) missing: {', '.join(missing)}",
                       install_command([dictionaries[d][0] for d in missing], [dictionaries[d][1] for d in missing],
                                       os_release))


# -- all together ----------------------------------------------------------------------------

def run_checks(db_path: str | Path, *, packages_dir: str | Path | None = None,
               environ: Mapping[str, str] | None = None) -> list[CheckResult]:
    """Every check, in the order ``workbench doctor`` prints them."""
    from workbench.core.mt.packages import packages_dir as default_packages_dir

    models_dir = Path(packages_dir) if packages_dir is not None else default_packages_dir()
    return [
        check_qt_libraries(environ=environ),
        check_display(environ=environ),
        check_database(db_path),
        check_models(packages_dir=models_dir, pairs=document_pairs(db_path)),
        check_disk_space([Path(db_path).expanduser().parent, models_dir]),
        check_omegat(),
        check_spelling(),
    ]


def window_blockers(*, environ: Mapping[str, str] | None = None, platform: str | None = None,
                    **qt_options) -> list[CheckResult]:
    """What stops the window from starting at all, checked before Qt is loaded.

    Only when Qt will use the xcb plugin (``QT_QPA_PLATFORM`` unset or ``xcb``)
    on Linux; with a Wayland display the missing X11 libraries are no blocker."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if not platform.startswith("linux") or qpa not in ("", "xcb"):
        return []
    blockers = []
    display = check_display(environ=environ, platform=platform)
    if display.status != OK:
        blockers.append(display)
    if qpa == "" and environ.get("WAYLAND_DISPLAY"):
        return blockers  # Qt takes the Wayland plugin when it can
    libraries = check_qt_libraries(environ=environ, platform=platform, **qt_options)
    if libraries.status == ERROR:
        blockers.append(libraries)
    return blockers
