package org.esfdw.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class MappingFlattenerTest {

    private static String flatten(String singleQuoted) {
        return Json.text(MappingFlattener.flatten(Json.parse(singleQuoted.replace('\'', '"')
                .getBytes(StandardCharsets.UTF_8)))).replace('"', '\'');
    }

    @Test
    void objectsAndMultiFieldsByDottedPath() {
        assertEquals("{'title':'text','title.keyword':'keyword','author':'object','author.name':'keyword',"
                        + "'author.born':'date','replies':'nested','replies.n':'long'}",
                flatten("{'articles':{'mappings':{'properties':{"
                        + "'title':{'type':'text','fields':{'keyword':{'type':'keyword','ignore_above':256}}},"
                        + "'author':{'properties':{'name':{'type':'keyword'},'born':{'type':'date'}}},"
                        + "'replies':{'type':'nested','properties':{'n':{'type':'long'}}}}}}}"));
    }

    @Test
    void typesThatDifferBetweenIndicesAreConflicts() {
        assertEquals("{'n':'conflict','t':'keyword','only2':'ip'}",
                flatten("{'a':{'mappings':{'properties':{'n':{'type':'long'},'t':{'type':'keyword'}}}},"
                        + "'b':{'mappings':{'properties':{'n':{'type':'keyword'},'t':{'type':'keyword'},"
                        + "'only2':{'type':'ip'}}}}}"));
    }

    @Test
    void emptyMappingsAndTheOldTypeLevel() {
        assertEquals("{}", flatten("{}"));
        assertEquals("{}", flatten("{'a':{'mappings':{}}}"));
        assertEquals("{'n':'long'}", flatten("{'a':{'mappings':{'_doc':{'properties':{'n':{'type':'long'}}}}}}"));
    }
}
