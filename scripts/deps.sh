#!/bin/sh
# deps.sh - Check the Debian packages of scripts/deps.txt and install the
# missing ones.
#
#   scripts/deps.sh test|bench
#
# As root: apt-get update + apt-get install -y of what is missing, printing
# what it installs.  Not root: print the exact apt-get line and exit 1.
# Optional packages that fail to install are reported and skipped.
set -eu
when=${1:-test}
case $when in
test | bench) ;;
*)
	echo "deps.sh: '$when' is not test or bench" >&2
	exit 2
	;;
esac
list=$(dirname "$0")/deps.txt

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

required=""
optional=""
while read -r pkg pkgwhen need; do
	case $pkg in '' | '#'*) continue ;; esac
	if [ "$pkgwhen" = bench ] && [ "$when" = test ]; then
		continue
	fi
	installed "$pkg" && continue
	if [ "$need" = optional ]; then
		optional="$optional $pkg"
	else
		required="$required $pkg"
	fi
done <"$list"

[ -z "$required$optional" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "isolab needs Debian packages that are not installed; as root run:" >&2
	echo "  apt-get update && apt-get install -y$required$optional" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "deps: installing:$required$optional" >&2
apt-get update -qq >&2
if [ -n "$required" ]; then
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -qq --no-install-recommends $required >&2
fi
for pkg in $optional; do
	apt-get install -y -qq --no-install-recommends "$pkg" >&2 ||
		echo "deps: optional package $pkg could not be installed; what needs it is skipped" >&2
done
