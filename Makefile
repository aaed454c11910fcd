# es_fdw: a thin driver of Maven (the Java module) and PGXS (the C shim).
#
#   make              build the jar and the shared library
#   make install      install both, with the control and SQL files, into PostgreSQL's dirs
#   make installcheck pg_regress against a running server (PGHOST/PGPORT) and Elasticsearch
#   make test         everything, with real PostgreSQL and Elasticsearch (scripts/test.sh)
#   make demo         a local demo (scripts/demo.sh)
#   make bench        benchmarks, results in bench/RESULTS.md (scripts/bench.sh)

MODULE_big = es_fdw
OBJS = c-shim/es_fdw.o c-shim/option.o c-shim/scan_desc.o c-shim/deparse.o c-shim/aggregate.o \
       c-shim/analyze.o c-shim/search.o c-shim/jvm.o \
       c-shim/jni_bridge.o c-shim/row_decode.o c-shim/modify.o c-shim/import.o c-shim/offline.o \
       c-shim/sync.o c-shim/sync_worker.o
PGFILEDESC = "es_fdw - foreign-data wrapper for Elasticsearch"

EXTENSION = extension/es_fdw
JAR = pljava-module/target/es_fdw.jar
DATA = extension/es_fdw--0.1.sql extension/es_fdw--0.1--0.2.sql

REGRESS = options select types errors auth pushdown search writes import tls sync
REGRESS_OPTS = --inputdir=. --outputdir=build/regress

MVN ?= mvn -B -q
PG_CONFIG ?= pg_config

# The JDK used to build: its headers for JNI, its libjvm as the last-resort default at run time.
JAVAC := $(shell readlink -f "$$(command -v javac)")
JDK_HOME ?= $(patsubst %/bin/javac,%,$(JAVAC))
JNI_HEADERS = pljava-module/target/jni-headers

PG_CPPFLAGS = -I$(JDK_HOME)/include -I$(JDK_HOME)/include/linux -I$(JNI_HEADERS) -Ic-shim \
              -DES_FDW_BUILD_LIBJVM='"$(JDK_HOME)/lib/server/libjvm.so"'
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror
SHLIB_LINK = -ldl -lpthread

# No JIT bitcode: nothing here benefits from it, and it would need clang on the build machine.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# No PGXS yet (a fresh machine): `make test` and `make demo` install it through scripts/deps.sh.
all install installcheck:
	@echo "PGXS not found: install postgresql-server-dev-15 (scripts/deps.sh does, as root)" >&2; exit 1
endif

JAVA_SOURCES := $(shell find pljava-module/src/main -type f 2>/dev/null) pom.xml pljava-module/pom.xml

$(JAR): $(JAVA_SOURCES)
	$(MVN) package -DskipTests -DskipITs
	touch $@

$(OBJS): $(JAR) c-shim/es_fdw.h
all: $(JAR)

# The jar, then a class-data-sharing archive of the classes a first query loads, made by the JVM
# es_fdw was built with (a backend using another JVM ignores it). It must be made from the installed
# jar: the JVM checks the jar's path, size and time.
INSTALLED_JAR = $(DESTDIR)$(datadir)/extension/es_fdw.jar
CDS_ARCHIVE = $(DESTDIR)$(datadir)/extension/es_fdw.jsa
CDS_TRAINING_OPTIONS = -Xshare:auto -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData

install: install-java
install-java: $(JAR)
	$(MKDIR_P) '$(DESTDIR)$(datadir)/extension'
	$(INSTALL_DATA) $(JAR) '$(INSTALLED_JAR)'
	rm -f '$(CDS_ARCHIVE)'
	$(JDK_HOME)/bin/java -XX:ArchiveClassesAtExit='$(CDS_ARCHIVE)' $(CDS_TRAINING_OPTIONS) \
	    -cp '$(INSTALLED_JAR)' org.esfdw.bridge.CdsTraining >/dev/null || \
	    echo "es_fdw: no class-data-sharing archive made; first queries will be slower" >&2

uninstall: uninstall-java
uninstall-java:
	rm -f '$(INSTALLED_JAR)' '$(CDS_ARCHIVE)'

clean: clean-java
clean-java:
	rm -f $(JAR)

installcheck: | build/regress
build/regress:
	mkdir -p $@

.PHONY: test demo bench install-java uninstall-java clean-java
test:
	scripts/test.sh
demo:
	scripts/demo.sh
bench:
	scripts/bench.sh
