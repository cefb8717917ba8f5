//! A map and a set kept in a `Vec`, searched linearly (videoid-capture's
//! patch, see PATCH.md). The element renders a few dozen nodes, so its maps
//! hold a handful of entries: a `Vec` is as fast at that size, and it leaves
//! hashbrown, `RandomState` and the hashing code out of the wasm.

/// A map from `K` to `V` with linear lookup.
#[derive(Debug)]
pub(crate) struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
        }
    }
}

impl<K: PartialEq, V> VecMap<K, V> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Vec::with_capacity(capacity),
        }
    }

    fn position<Q>(&self, key: &Q) -> Option<usize>
    where
        K: core::borrow::Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.entries.iter().position(|(k, _)| k.borrow() == key)
    }

    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: core::borrow::Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|i| &self.entries[i].1)
    }

    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: core::borrow::Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).is_some()
    }

    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.position(key).map(|i| &mut self.entries[i].1)
    }

    /// Sets `key` to `value`; returns the value it replaced.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Some(i) => Some(core::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        self.position(key).map(|i| self.entries.swap_remove(i).1)
    }

    /// The value of `key`, inserted as `V::default()` when missing.
    pub(crate) fn get_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let i = match self.position(&key) {
            Some(i) => i,
            None => {
                self.entries.push((key, V::default()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].1
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

impl<K: PartialEq, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Self::default();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

/// A set of `T` with linear lookup.
#[derive(Debug)]
pub(crate) struct VecSet<T> {
    items: Vec<T>,
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<T: PartialEq> VecSet<T> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            items: Vec::with_capacity(capacity),
        }
    }

    /// Adds `item`; false when an equal one was there (which stays).
    pub(crate) fn insert(&mut self, item: T) -> bool {
        if self.items.contains(&item) {
            return false;
        }
        self.items.push(item);
        true
    }

    /// Adds `item`, replacing an equal one, which it returns.
    pub(crate) fn replace(&mut self, item: T) -> Option<T> {
        match self.items.iter().position(|i| *i == item) {
            Some(i) => Some(core::mem::replace(&mut self.items[i], item)),
            None => {
                self.items.push(item);
                None
            }
        }
    }

    /// Removes and returns the item equal to `key`.
    pub(crate) fn take<Q>(&mut self, key: &Q) -> Option<T>
    where
        T: core::borrow::Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        let i = self.items.iter().position(|i| i.borrow() == key)?;
        Some(self.items.swap_remove(i))
    }

    pub(crate) fn iter(&self) -> core::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub(crate) fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.items.retain(keep);
    }

    pub(crate) fn drain(&mut self) -> std::vec::Drain<'_, T> {
        self.items.drain(..)
    }
}
