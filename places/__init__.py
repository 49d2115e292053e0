"""Morocco's places: the HCP reference of regions, provinces and communes, their 2024 census
figures and their boundaries. Reference data only: no database, no request, no Flask."""
