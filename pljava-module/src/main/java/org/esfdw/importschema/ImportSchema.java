package org.esfdw.importschema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.esfdw.json.Json;
import org.esfdw.transport.HttpTransport;

/**
 * IMPORT FOREIGN SCHEMA's Java half (docs/import-schema.md): the C shim sends the request as JSON and turns
 * the answer, a neutral description of the tables, into CREATE FOREIGN TABLE statements. Table names are
 * given to every source the remote schema matches before LIMIT TO / EXCEPT picks among them, so a table
 * has the same name whatever the list; only the picked ones' mappings are read.
 */
public final class ImportSchema {
    private ImportSchema() {
    }

    /**
     * @param requestUtf8Json {"connection":{…},"remote_schema":"logs-*","list_type":"all"|"limit_to"|"except",
     *                        "table_list":[…],"options":{"flatten":true,"id_column":"id"}}
     * @return {"tables":[{"name","index","columns":[{"name","type","field","rowid"}, …],"warnings":[…]}, …]}
     */
    public static byte[] describe(byte[] requestUtf8Json) {
        ImportRequest request = ImportRequest.parse(requestUtf8Json);
        HttpTransport transport = new HttpTransport(request.connection());
        List<RemoteSource> sources = RemoteSources.resolve(transport, request.remoteSchema());
        List<String> names = PgNames.unique(sources.stream().map(RemoteSource::name).toList(), Set.of());
        List<Named> imported = IntStream.range(0, sources.size()).mapToObj(i -> new Named(names.get(i), sources.get(i)))
                .filter(table -> request.imports(table.name())).toList();
        Map<String, JsonNode> mappings = MappingFetcher.fetch(transport, imported.stream().map(Named::source).toList());
        ObjectNode answer = Json.object();
        ArrayNode tables = answer.putArray("tables");
        imported.forEach(table -> tables.add(TableDescriber.describe(table.name(), table.source(),
                mappings.get(table.source().name()), request.options())));
        return Json.utf8(answer);
    }

    private record Named(String name, RemoteSource source) {
    }
}
