# Shared by the Linux build scripts (sourced, not run).

# The oldest glibc the .deb is for: 统信 UOS 20. The Python (python-glibc228.sh), the wheels
# (wheels_for_glibc) and make-deb.sh's check all follow it.
GLIBC=2.28

# wheels_for_glibc TARGET REQUIREMENT…: install the requirements into TARGET as wheels for
# CPython 3.11 on glibc $GLIBC, with this machine's .venv pip (the glibc 2.28 Python has no
# TLS to reach the package index). pip takes a --platform literally, so every manylinux tag
# up to $GLIBC is named (PyInstaller's own wheel is manylinux2014, i.e. 2.17).
wheels_for_glibc() {
  local target=$1 minor platforms=(--platform manylinux2014_x86_64)
  shift
  for minor in $(seq 17 "${GLIBC#2.}"); do platforms+=(--platform "manylinux_2_${minor}_x86_64"); done
  .venv/bin/pip install -q --disable-pip-version-check --no-compile --target "$target" "${platforms[@]}" \
    --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none --only-binary :all: \
    "$@" 2>&1 | grep -v "^WARNING: Location" || true
}

# apt_uris: the package sources this machine uses, one URI a line (deb822 .sources files,
# else sources.list)
apt_uris() {
  local uris
  uris=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2 }')
  echo "${uris:-$(awk '/^deb / { print $2 }' /etc/apt/sources.list 2>/dev/null)}"
}

# debian_mirror: this machine's Debian mirror (not the security one)
debian_mirror() {
  local mirror
  mirror=$(apt_uris | grep -v security | head -1)
  echo "${mirror:-http://deb.debian.org/debian}"
}
