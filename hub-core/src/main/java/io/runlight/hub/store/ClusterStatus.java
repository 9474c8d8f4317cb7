package io.runlight.hub.store;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What {@code GET /api/v1/cluster} shows of the cluster as this member sees it: whether it
 * formed, and whether each durable map is complete here.
 *
 * @param name the cluster name
 * @param state Hazelcast's cluster state ({@code ACTIVE} when it takes reads and writes)
 * @param safe whether every partition has all its backups in sync (false while members join or leave)
 * @param members the members, oldest first
 * @param maps every durable map, as this member holds it
 */
public record ClusterStatus(String name, String state, boolean safe, List<Member> members, List<MapState> maps)
{
    public ClusterStatus
    {
        requireNonNull(name, "name is null");
        requireNonNull(state, "state is null");
        members = List.copyOf(requireNonNull(members, "members is null"));
        maps = List.copyOf(requireNonNull(maps, "maps is null"));
    }

    /**
     * @param address {@code host:port} of the member's cluster port
     * @param uuid its id for this run (a restarted member has a new one)
     * @param local whether it is the member that answered
     */
    public record Member(String address, String uuid, boolean local)
    {
        public Member
        {
            requireNonNull(address, "address is null");
            requireNonNull(uuid, "uuid is null");
        }
    }

    /**
     * @param name the map
     * @param ownedEntries entries whose partitions this member owns
     * @param backupEntries entries this member holds as a backup of another's
     * @param complete false while entries lost with other members are being loaded back from the database
     */
    public record MapState(String name, long ownedEntries, long backupEntries, boolean complete)
    {
        public MapState
        {
            requireNonNull(name, "name is null");
        }
    }
}
