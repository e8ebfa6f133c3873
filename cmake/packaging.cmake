# Install layout and the Debian package (CPack DEB).
#
#   cmake --install BUILD --prefix /usr          # or:
#   cpack -G DEB --config BUILD/CPackConfig.cmake  # -> leadsync_VERSION_ARCH.deb
#
# The binary's own rule is in daemon/CMakeLists.txt. Paths under lib/ are
# literal, not CMAKE_INSTALL_LIBDIR: systemd looks in /usr/lib/{systemd/system,
# sysusers.d,tmpfiles.d}, never in the multiarch library directory.

include(GNUInstallDirs)

set(LEADSYNC_DATADIR ${CMAKE_INSTALL_DATADIR}/leadsync)

install(FILES ${PROJECT_SOURCE_DIR}/systemd/leadsync.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/leadsync.sysusers DESTINATION lib/sysusers.d RENAME leadsync.conf)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/leadsync.tmpfiles DESTINATION lib/tmpfiles.d RENAME leadsync.conf)

install(FILES ${PROJECT_SOURCE_DIR}/config/leadsync.example.yaml DESTINATION ${LEADSYNC_DATADIR})
install(FILES ${PROJECT_SOURCE_DIR}/config/leadsync.example.yaml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
# The documentation, laid out as in the source tree so that its relative
# links hold: README.md, CHANGELOG.md, BENCHMARKS.md and LICENSE at the top,
# the pages in docs/ (the unit's Documentation= points at them).
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
              ${PROJECT_SOURCE_DIR}/BENCHMARKS.md ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")

# Grafana dashboards and Prometheus alert rules; OPTIONAL so that a tree
# without them still installs. The man pages and the bash completion are
# generated, and installed, by tools/reference/CMakeLists.txt.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/monitoring/ DESTINATION ${LEADSYNC_DATADIR}/monitoring OPTIONAL)

# Maintainer scripts, as dh_installsysusers/dh_installtmpfiles would write
# them: create the user and the spool directory at install time, and let a
# running systemd see the new unit. The service is neither enabled nor
# started: it needs /etc/leadsync/leadsync.yaml and the credentials first.
set(leadsync_postinst [=[#!/bin/sh
set -e
if [ "$1" = configure ]; then
  if command -v systemd-sysusers >/dev/null 2>&1; then
    systemd-sysusers /usr/lib/sysusers.d/leadsync.conf
  fi
  if command -v systemd-tmpfiles >/dev/null 2>&1; then
    systemd-tmpfiles --create /usr/lib/tmpfiles.d/leadsync.conf
  fi
  if [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null || true
    if systemctl is-active --quiet leadsync.service; then
      systemctl restart leadsync.service || true
    fi
  fi
fi
exit 0
]=])
set(leadsync_prerm [=[#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
  systemctl stop leadsync.service >/dev/null 2>&1 || true
fi
exit 0
]=])
set(leadsync_postrm [=[#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null || true
fi
exit 0
]=])
set(leadsync_debian_dir ${CMAKE_CURRENT_BINARY_DIR}/debian)
foreach(script postinst prerm postrm)
  # @ONLY: the scripts' own ${...} and $1 stay as written.
  file(CONFIGURE OUTPUT ${leadsync_debian_dir}/${script} CONTENT "${leadsync_${script}}" @ONLY)
  file(CHMOD ${leadsync_debian_dir}/${script} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
       GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME leadsync)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "leadsync pulls lead changes from spool directories, log files, PostgreSQL and a webhook into a durable local queue and delivers them to LeadSquared's bulk API under the account's rate limit, with retries, a dead-letter store and Prometheus metrics. It runs as a systemd service (Type=notify).")
set(CPACK_PACKAGE_CONTACT "leadsync developers <leadsync@example.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "leadsync developers <leadsync@example.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: computed by dpkg-shlibdeps from what the binary links (libcctz2,
# libphonenumber8 among them), plus procps for the unit's ExecReload=/bin/kill,
# which a minimal Debian lacks, and tzdata, the time zones CCTZ reads at run
# time for the mapping's datetime conversions.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "procps, tzdata")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS systemd)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${leadsync_debian_dir}/postinst ${leadsync_debian_dir}/prerm ${leadsync_debian_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
