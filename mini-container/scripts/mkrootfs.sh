#!/bin/sh
# mkrootfs.sh - Build a minimal root filesystem for mini-container from
# Debian's busybox-static and, optionally, extra static programs.
#
#   mini-container/scripts/mkrootfs.sh DIR [STATIC_PROGRAM...]
#
# DIR gets /bin/busybox with its applets as links (sh, ls, cat, ps,
# hostname, sleep, true, ...), the extra programs in /bin, the empty mount
# points the runtime mounts on (/proc, /sys, /dev, /tmp), and /etc/passwd
# and /etc/group with root and nobody.  Exit 0, or 1 with one line on
# stderr.  Any other directory tree with the command in it works too (one
# made by debootstrap, or an image's unpacked layers).
set -eu
prog=mkrootfs.sh
if [ $# -lt 1 ]; then
	echo "usage: $prog DIR [STATIC_PROGRAM...]" >&2
	exit 1
fi
dir=$1
shift
# Debian's busybox-static installs a static /bin/busybox; a dynamic one
# would need its libraries in the rootfs.
busybox=/bin/busybox
[ -x "$busybox" ] || busybox=$(command -v busybox || true)
if [ -z "$busybox" ]; then
	echo "$prog: busybox: not installed (apt-get install busybox-static)" >&2
	exit 1
fi
mkdir -p "$dir/bin" "$dir/sbin" "$dir/usr/bin" "$dir/usr/sbin" "$dir/etc" \
	"$dir/proc" "$dir/sys" "$dir/dev" "$dir/tmp" "$dir/root" "$dir/mnt"
chmod 1777 "$dir/tmp"
cp "$busybox" "$dir/bin/busybox"
for applet in $("$dir/bin/busybox" --list); do
	[ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
done
for p in "$@"; do
	if [ ! -x "$p" ]; then
		echo "$prog: $p: not an executable file" >&2
		exit 1
	fi
	# Replace an applet link of the same name (true, sh, ...) rather
	# than copy through it onto busybox.
	rm -f "$dir/bin/$(basename "$p")"
	cp "$p" "$dir/bin/"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
chmod 755 "$dir"
