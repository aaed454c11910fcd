package org.esfdw.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.esfdw.EsFdwException;
import org.esfdw.config.ConnectionOptions;
import org.esfdw.config.ScanDescriptionParser;
import org.junit.jupiter.api.Test;

/** The connection object's credentials, as the C side sends them, become exactly one Authorization header. */
class AuthHeadersTest {

    private static ConnectionOptions connection(String credentials) {
        String json = "{\"connection\":{\"url\":\"https://h:9200\"" + (credentials.isEmpty() ? "" : "," + credentials)
                + "},\"index\":\"i\",\"columns\":[]}";
        return ScanDescriptionParser.parseTarget(json.getBytes(StandardCharsets.UTF_8)).connection();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void usernameAndPasswordAreBasicAuth() {
        assertEquals("Basic " + base64("bob:pä🎉ss"),
                AuthHeaders.authorization(connection("\"username\":\"bob\",\"password\":\"pä🎉ss\"")));
        assertEquals("Basic " + base64("bob:"), AuthHeaders.authorization(connection("\"username\":\"bob\"")));
    }

    @Test
    void apiKeyPairIsEncodedAndEncodedKeyIsSentAsGiven() {
        String encoded = base64("VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw");
        assertEquals("ApiKey " + encoded,
                AuthHeaders.authorization(connection("\"api_key\":\"VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw\"")));
        assertEquals("ApiKey " + encoded, AuthHeaders.authorization(connection("\"api_key\":\"" + encoded + "\"")));
        assertEquals("ApiKey " + encoded, AuthHeaders.authorization(connection("\"api_key\":\" " + encoded + "\\n\"")));
    }

    @Test
    void bearerTokenIsSentAsIs() {
        assertEquals("Bearer dGhpcyBpcyBub3QgYSByZWFsIHRva2Vu",
                AuthHeaders.authorization(connection("\"bearer_token\":\"dGhpcyBpcyBub3QgYSByZWFsIHRva2Vu\"")));
    }

    @Test
    void noCredentialsNoHeaderAndEmptyKeysCountAsAbsent() {
        assertNull(AuthHeaders.authorization(connection("")));
        assertNull(AuthHeaders.authorization(connection("\"api_key\":\"\",\"bearer_token\":null")));
    }

    @Test
    void moreThanOneKindOfCredentialsIsRefused() {
        EsFdwException two = assertThrows(EsFdwException.class,
                () -> connection("\"username\":\"bob\",\"password\":\"pw\",\"bearer_token\":\"secret-token\""));
        assertEquals("28000", two.sqlstate());
        assertEquals("conflicting Elasticsearch credentials: username and bearer_token are both set",
                two.getMessage());
        assertEquals("Set only one of username and password, api_key or bearer_token in the user mapping.",
                two.hint());
        EsFdwException three = assertThrows(EsFdwException.class,
                () -> connection("\"username\":\"bob\",\"api_key\":\"k\",\"bearer_token\":\"t\""));
        assertEquals("conflicting Elasticsearch credentials: username and api_key and bearer_token are all set",
                three.getMessage());
    }

    @Test
    void tokenThatCannotBeAHeaderIsRefusedWithoutShowingIt() {
        ConnectionOptions broken = connection("\"bearer_token\":\"secret\\ntoken\"");
        EsFdwException error = assertThrows(EsFdwException.class, () -> AuthHeaders.authorization(broken));
        assertEquals("28000", error.sqlstate());
        assertEquals("the bearer_token of the user mapping has a character that cannot be sent in an HTTP header",
                error.getMessage());
        assertFalse((error.getMessage() + error.detail() + error.hint()).contains("secret"));
        assertThrows(EsFdwException.class, () -> AuthHeaders.authorization(connection("\"api_key\":\"ké y\"")));
    }

    @Test
    void redactRemovesEveryCredentialAsGivenAndAsSent() {
        ConnectionOptions basic = connection("\"username\":\"bob\",\"password\":\"hunter2\"");
        assertEquals("user bob, password [redacted], header Basic [redacted]",
                AuthHeaders.redact(basic, "user bob, password hunter2, header Basic " + base64("bob:hunter2")));
        ConnectionOptions apiKey = connection("\"api_key\":\"id1:key1\"");
        assertEquals("[redacted] [redacted]", AuthHeaders.redact(apiKey, "id1:key1 " + base64("id1:key1")));
        ConnectionOptions token = connection("\"bearer_token\":\"tok-123\"");
        assertEquals("bad token [redacted]", AuthHeaders.redact(token, "bad token tok-123"));
        assertNull(AuthHeaders.redact(token, null));
    }

    @Test
    void connectionTextNeverShowsApiKeyOrToken() {
        for (String credentials : new String[] {"\"api_key\":\"id1:key1\"", "\"bearer_token\":\"tok-123\""}) {
            String text = connection(credentials).toString();
            assertFalse(text.contains("key1") || text.contains("tok-123"), text);
            assertEquals("ConnectionOptions[https://h:9200, timeout 10000 ms, with credentials, "
                    + "Tls[caFile=null, caFingerprint=null, verify=true, clientCert=null, clientKey=null]]", text);
        }
    }
}
