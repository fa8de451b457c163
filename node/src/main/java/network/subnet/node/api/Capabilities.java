package network.subnet.node.api;

import java.util.List;
import java.util.Set;

/** What a miner reports at registration: the task kinds it takes, its teacher, its codecs. */
public record Capabilities(Set<TaskKind> kinds, TeacherSpec teacher, List<String> codecs, int maxBatch) {}
