# scripts/chroot.sh - a fresh Debian 12 minbase chroot for the packaging and bare-image tests
# (sourced; root; Debian's packages only). chroot_create sets ROOT; chroot_run CMD runs CMD in it
# with a clean environment; chroot_destroy unmounts and removes it (also on EXIT).
chroot_create() {
    ROOT=$(mktemp -d /var/tmp/chuan-chroot.XXXXXX)
    trap chroot_destroy EXIT
    debootstrap --variant=minbase bookworm "$ROOT" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
        > "$ROOT.log" 2>&1 || { tail -20 "$ROOT.log"; rm -f "$ROOT.log"; return 1; }
    rm -f "$ROOT.log"
    mount -t proc proc "$ROOT/proc" && mount --bind /dev "$ROOT/dev" && mount --bind /sys "$ROOT/sys"
}
chroot_run() {
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 sh -c "$1"
}
chroot_destroy() {
    [ -n "${ROOT:-}" ] || return 0
    for m in proc dev sys; do umount "$ROOT/$m" 2>/dev/null; done
    rm -rf "$ROOT"
    ROOT=
}
