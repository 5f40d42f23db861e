package dev.corral.zk.wire;

import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.ACL;

/**
 * Random multi requests and responses built twice, with ZooKeeper's public API ({@link Op}, {@link OpResult}) and
 * with ours, so that the two can be compared byte for byte.
 */
final class MultiCases {
    record Request(MultiRequest ours, MultiOperationRecord zk) {}

    record Response(dev.corral.zk.wire.MultiResponse ours, MultiResponse zk) {}

    private MultiCases() {}

    /** {@code n} write operations (for a multi) or read operations (for a multiRead). */
    static Request request(RandomValues r, boolean read, int n) {
        List<MultiOp> ours = new ArrayList<>();
        List<Op> zk = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = r.text();
            if (read) {
                if (r.aBool()) {
                    ours.add(new MultiOp.GetChildren(new GetChildrenRequest(path, false)));
                    zk.add(Op.getChildren(path));
                } else {
                    ours.add(new MultiOp.GetData(new GetDataRequest(path, false)));
                    zk.add(Op.getData(path));
                }
                continue;
            }
            byte[] data = r.bytes();
            int version = r.anInt();
            List<Acl> acl = r.list(() -> r.record(Acl.class));
            List<Acl> nonNull = acl == null ? List.of() : acl; // ZooKeeper's Op.create demands an ACL list
            switch (r.rnd.nextInt(7)) {
                case 0 -> {
                    int flags = r.rnd.nextInt(4); // plain modes: opcode create
                    ours.add(new MultiOp.Create(OpCodes.CREATE, new CreateRequest(path, data, nonNull, flags)));
                    zk.add(Op.create(path, data, zkAcl(nonNull), flags));
                }
                case 1 -> {
                    ours.add(new MultiOp.Create(OpCodes.CREATE_CONTAINER, new CreateRequest(path, data, nonNull, 4)));
                    zk.add(Op.create(path, data, zkAcl(nonNull), CreateMode.CONTAINER));
                }
                case 2 -> {
                    CreateMode mode = CreateMode.fromFlag(r.rnd.nextInt(4), CreateMode.PERSISTENT);
                    ours.add(new MultiOp.Create(OpCodes.CREATE2, new CreateRequest(path, data, nonNull, mode.toFlag())));
                    zk.add(Op.create(path, data, CreateOptions.newBuilder(zkAcl(nonNull), mode).build()));
                }
                case 3 -> {
                    CreateMode mode = r.aBool() ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
                    long ttl = r.rnd.nextLong(1, 1L << 40);
                    ours.add(new MultiOp.CreateTtl(new CreateTtlRequest(path, data, nonNull, mode.toFlag(), ttl)));
                    zk.add(Op.create(path, data, zkAcl(nonNull), mode, ttl));
                }
                case 4 -> {
                    ours.add(new MultiOp.Delete(new DeleteRequest(path, version)));
                    zk.add(Op.delete(path, version));
                }
                case 5 -> {
                    ours.add(new MultiOp.SetData(new SetDataRequest(path, data, version)));
                    zk.add(Op.setData(path, data, version));
                }
                default -> {
                    ours.add(new MultiOp.Check(new CheckVersionRequest(path, version)));
                    zk.add(Op.check(path, version));
                }
            }
        }
        return new Request(new MultiRequest(ours), new MultiOperationRecord(zk));
    }

    /** {@code n} results of every kind. */
    static Response response(RandomValues r, int n) {
        List<MultiResult> ours = new ArrayList<>();
        MultiResponse zk = new MultiResponse();
        for (int i = 0; i < n; i++) {
            Stat stat = r.stat();
            switch (r.rnd.nextInt(8)) {
                case 0 -> {
                    String path = r.string();
                    ours.add(new MultiResult.Create(path));
                    zk.add(new OpResult.CreateResult(path));
                }
                case 1 -> {
                    String path = r.string();
                    ours.add(new MultiResult.Create2(path, stat));
                    zk.add(new OpResult.CreateResult(path, zkStat(stat)));
                }
                case 2 -> {
                    ours.add(new MultiResult.Delete());
                    zk.add(new OpResult.DeleteResult());
                }
                case 3 -> {
                    ours.add(new MultiResult.SetData(stat));
                    zk.add(new OpResult.SetDataResult(zkStat(stat)));
                }
                case 4 -> {
                    ours.add(new MultiResult.Check());
                    zk.add(new OpResult.CheckResult());
                }
                case 5 -> {
                    List<String> children = r.list(r::string);
                    ours.add(new MultiResult.GetChildren(children));
                    zk.add(new OpResult.GetChildrenResult(children));
                }
                case 6 -> {
                    byte[] data = r.bytes();
                    ours.add(new MultiResult.GetData(data, stat));
                    zk.add(new OpResult.GetDataResult(data, zkStat(stat)));
                }
                default -> {
                    int err = r.anInt();
                    ours.add(new MultiResult.Error(err));
                    zk.add(new OpResult.ErrorResult(err));
                }
            }
        }
        return new Response(new dev.corral.zk.wire.MultiResponse(ours), zk);
    }

    @SuppressWarnings("unchecked")
    private static List<ACL> zkAcl(List<Acl> acl) {
        return (List<ACL>) ZooKeeperJute.toZk(acl);
    }

    private static org.apache.zookeeper.data.Stat zkStat(Stat stat) {
        return (org.apache.zookeeper.data.Stat) ZooKeeperJute.toZk(stat);
    }
}
