package dev.corral.zk.wire;

import java.util.List;

/**
 * The answer to {@code whoAmI} (107): the identities the session has authenticated as.
 */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements ResponseBody {
    public static WhoAmIResponse read(JuteReader in) {
        return new WhoAmIResponse(in.readVector("clientInfo", ClientInfo.BYTES_MIN, ClientInfo::read));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecords(clientInfo);
    }
}
