package dev.corral.zk.wire;

/**
 * The body of a reply, after its {@link ReplyHeader}. Sealed so that {@link ZkResponses#reply} cannot be handed
 * a request record by mistake. Which body answers which operation is said on each record; operations not listed
 * there (delete, setWatches, checkWatches, removeWatches, ping, auth, closeSession) are answered with a header
 * alone.
 */
public sealed interface ResponseBody extends JuteRecord
        permits CreateResponse, Create2Response, ExistsResponse, GetDataResponse, SetDataResponse, GetAclResponse,
                SetAclResponse, GetChildrenResponse, GetChildren2Response, SyncResponse, GetEphemeralsResponse,
                GetAllChildrenNumberResponse, WhoAmIResponse, ErrorResponse, MultiResponse {}
