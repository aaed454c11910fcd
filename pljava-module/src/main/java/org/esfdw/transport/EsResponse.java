package org.esfdw.transport;

import java.net.http.HttpHeaders;

/** A complete HTTP answer from Elasticsearch: status, headers and the raw UTF-8 JSON body. */
public record EsResponse(int status, HttpHeaders headers, byte[] body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
